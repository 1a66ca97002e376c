/**
 * Test-only panels built directly as FeatureFrame / LabelFrame, small enough
 * for a full training run in a second or two. Returns are i.i.d. noise per
 * (instrument, date); labels are SPEC-style forward sums of them over k
 * dates, so consecutive labels overlap (the autocorrelation that makes purge
 * and embargo necessary). Features are i.i.d. N(0, 1) unless a signal or a
 * leak is planted:
 *
 * - `signal`: feature 0 carries `signal * sd(label)` of the 21-day label
 *   (a real, causal edge: it is part of the future returns' mean);
 * - `leak: 'label'`: feature 1 is the 21-day label itself (0 where undefined);
 * - `leak: 'next-day'`: feature 1 is tomorrow's return, a one-day peek.
 */
import { loadConfig, overrideConfig, type RegionConfig } from '@alphafeed/config';
import { formatIsoDay, parseIsoDay, Rng, type FeatureFrame, type LabelFrame } from '@alphafeed/core';
import { join } from 'node:path';

export const SMALL_FEATURES = ['mom_12_1', 'rev_1m', 'ma_gap_20', 'vol_20'] as const;

export interface PanelOptions {
  readonly instruments?: number;
  readonly dates?: number;
  readonly horizons?: readonly number[];
  readonly seed?: number;
  readonly signal?: number;
  readonly leak?: 'label' | 'next-day';
  /** Daily return sd. */
  readonly vol?: number;
}

export interface Panel {
  readonly features: FeatureFrame;
  readonly labels: LabelFrame;
}

export function syntheticPanel(options: PanelOptions = {}): Panel {
  const nI = options.instruments ?? 40;
  const nD = options.dates ?? 600;
  const horizons = options.horizons ?? [21, 63];
  const vol = options.vol ?? 0.02;
  const rng = new Rng(options.seed ?? 7);
  const start = parseIsoDay('2015-01-05');
  // Weekdays only, so the calendar looks like one.
  const calendar: string[] = [];
  for (let d = start; calendar.length < nD; d++) {
    const wd = new Date(d * 86_400_000).getUTCDay();
    if (wd !== 0 && wd !== 6) calendar.push(formatIsoDay(d));
  }
  const instruments = Array.from({ length: nI }, (_, i) => `I${String(i).padStart(4, '0')}`);
  const n = nI * nD;
  const p = SMALL_FEATURES.length;
  const X = Array.from({ length: p }, () => new Float64Array(n));
  for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) X[j][r] = rng.normal();
  // ret[r] is the return of row r's instrument on row r's date (rows are (date, instrument)).
  const ret = new Float64Array(n);
  for (let r = 0; r < n; r++) ret[r] = vol * rng.normal();
  const signal = options.signal ?? 0;
  if (signal !== 0) {
    // Spread a 21-day edge over the next 21 returns: sum has mean signal * vol * sqrt(21) * x0.
    for (let d = 0; d < nD; d++) {
      for (let i = 0; i < nI; i++) {
        const x0 = X[0][d * nI + i];
        for (let j = 1; j <= 21 && d + j < nD; j++)
          ret[(d + j) * nI + i] += (signal * vol * x0) / Math.sqrt(21);
      }
    }
  }
  const labels = horizons.map((k) => {
    const y = new Float64Array(n).fill(NaN);
    for (let i = 0; i < nI; i++) {
      for (let d = 0; d + k < nD; d++) {
        let s = 0;
        for (let j = 1; j <= k; j++) s += ret[(d + j) * nI + i];
        y[d * nI + i] = s;
      }
    }
    return y;
  });
  if (options.leak === 'label') {
    const y21 = labels[horizons.indexOf(21)];
    for (let r = 0; r < n; r++) X[1][r] = Number.isNaN(y21[r]) ? 0 : y21[r] / (vol * Math.sqrt(21));
  } else if (options.leak === 'next-day') {
    for (let r = 0; r < n; r++) X[1][r] = r + nI < n ? ret[r + nI] / vol : 0;
  }
  const date = new Int32Array(n);
  const instrument = new Int32Array(n);
  for (let d = 0; d < nD; d++) {
    for (let i = 0; i < nI; i++) {
      date[d * nI + i] = d;
      instrument[d * nI + i] = i;
    }
  }
  const beta = Float64Array.from({ length: n }, () => 1 + 0.3 * rng.normal());
  const size = Float64Array.from({ length: n }, () => 20 + rng.normal());
  const features: FeatureFrame = {
    calendar,
    instruments,
    industries: ['all'],
    featureNames: [...SMALL_FEATURES],
    length: n,
    date,
    instrument,
    industry: new Int32Array(n),
    carried: new Uint8Array(n),
    features: X,
    beta252: beta,
    size,
    momentum: X[0].slice(),
  };
  const labelFrame: LabelFrame = {
    calendar,
    instruments,
    horizons,
    length: n,
    date: date.slice(),
    instrument: instrument.slice(),
    carried: new Uint8Array(n),
    labels,
  };
  return { features, labels: labelFrame };
}

/** config/us.yaml cut down for small panels: the 4 panel features, few shallow trees, one thread. */
export function smallConfig(patch: object = {}, trees = 20): RegionConfig {
  const base = loadConfig(join(__dirname, '../../../../config/us.yaml'));
  const small = overrideConfig(base, {
    features: { names: [...SMALL_FEATURES] },
    models: { xgboost: { n_estimators: trees, max_depth: 3, nthread: 1 } },
  });
  return overrideConfig(small, patch, 'test');
}

/**
 * Per-date Spearman rank IC of OOF predictions, and its t-statistic over
 * non-overlapping blocks of `block` dates: consecutive dates share k-1 label
 * returns, so per-date ICs are autocorrelated and a naive t over dates would
 * be inflated by about sqrt(k). Block means are close to independent.
 */
export function rankIcStat(
  prediction: Float64Array,
  label: Float64Array,
  dates: Int32Array,
  block: number,
): { mean: number; t: number; blocks: number } {
  const perDate: { d: number; ic: number }[] = [];
  for (let b = 0; b < dates.length;) {
    let e = b;
    while (e < dates.length && dates[e] === dates[b]) e++;
    const idx: number[] = [];
    for (let i = b; i < e; i++) if (!Number.isNaN(prediction[i])) idx.push(i);
    if (idx.length >= 3) {
      const ic = pearson(ranks(idx.map((i) => prediction[i])), ranks(idx.map((i) => label[i])));
      if (!Number.isNaN(ic)) perDate.push({ d: dates[b], ic });
    }
    b = e;
  }
  const means: number[] = [];
  for (let s = 0; s + block <= perDate.length; s += block) {
    let m = 0;
    for (let j = s; j < s + block; j++) m += perDate[j].ic;
    means.push(m / block);
  }
  const mean = perDate.reduce((a, x) => a + x.ic, 0) / perDate.length;
  const bm = means.reduce((a, x) => a + x, 0) / means.length;
  const sd = Math.sqrt(means.reduce((a, x) => a + (x - bm) ** 2, 0) / (means.length - 1));
  return { mean, t: bm / (sd / Math.sqrt(means.length)), blocks: means.length };
}

function ranks(v: number[]): number[] {
  const order = v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
  const r = new Array<number>(v.length);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && v[order[e + 1]] === v[order[s]]) e++;
    for (let j = s; j <= e; j++) r[order[j]] = (s + e) / 2;
    s = e + 1;
  }
  return r;
}

function pearson(a: number[], b: number[]): number {
  const n = a.length;
  const ma = a.reduce((x, y) => x + y, 0) / n;
  const mb = b.reduce((x, y) => x + y, 0) / n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}
