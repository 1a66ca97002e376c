/**
 * Test support: the naive twin of the whole feature pipeline, written
 * straight from SPEC §2–3 with re-scans, sorts and per-row objects — slow and
 * obviously right, to check the optimised kernels against.
 */
import type { BarPanel } from '@alphafeed/core';
import { FEATURE_NAMES } from '../feature-names';

/** The model features, then beta and size, which the engine keeps outside the raw row. */
export const NAIVE_RAW_NAMES = [...FEATURE_NAMES, 'beta_252', 'size'] as const;

/** Is instrument i a member on date d (SPEC §1)? Everyone, always, by default. */
export type NaiveMember = (instrument: number, date: number) => boolean;
const EVERYONE: NaiveMember = () => true;

/**
 * Raw features per panel row, `values[row][column]` in `NAIVE_RAW_NAMES` order:
 * every bar counts for its instrument's history; the market mean of beta is
 * over the members' returns, and a date without one gives no pair.
 */
export function naiveRawFeatures(panel: BarPanel, member: NaiveMember = EVERYONE): number[][] {
  const hasShares = panel.sharesOut !== null;
  // Each instrument's bars so far, in date order.
  const history = new Map<number, number[]>();
  const returnOf = new Float64Array(panel.length).fill(NaN);
  for (let row = 0; row < panel.length; row++) {
    const bars = history.get(panel.instrument[row]) ?? [];
    if (bars.length > 0) returnOf[row] = panel.close[row] / panel.close[bars[bars.length - 1]] - 1;
    bars.push(row);
    history.set(panel.instrument[row], bars);
  }
  const marketSum = new Float64Array(panel.calendar.length);
  const marketCount = new Float64Array(panel.calendar.length);
  for (let row = 0; row < panel.length; row++) {
    if (!Number.isNaN(returnOf[row]) && member(panel.instrument[row], panel.date[row])) {
      marketSum[panel.date[row]] += returnOf[row];
      marketCount[panel.date[row]]++;
    }
  }
  const market = (d: number): number => (marketCount[d] > 0 ? marketSum[d] / marketCount[d] : NaN);
  const out: number[][] = new Array(panel.length);
  const seen = new Map<number, number[]>();
  for (let row = 0; row < panel.length; row++) {
    const bars = seen.get(panel.instrument[row]) ?? [];
    bars.push(row);
    seen.set(panel.instrument[row], bars);
    const k = bars.length - 1;
    const c = (j: number): number => panel.close[bars[j]];
    const v = (j: number): number => panel.volume[bars[j]];
    const dv = (j: number): number => (panel.amount === null ? c(j) * v(j) : panel.amount[bars[j]]);
    const r = (j: number): number => returnOf[bars[j]];
    const range = (from: number, to: number): number[] =>
      Array.from({ length: to - from + 1 }, (_, x) => from + x);
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

    const mom = k >= 252 ? c(k - 21) / c(k - 252) - 1 : NaN;
    const rev = k >= 21 ? c(k) / c(k - 21) - 1 : NaN;
    const maGap = (n: number): number => (k + 1 >= n ? c(k) / mean(range(k - n + 1, k).map(c)) - 1 : NaN);
    let rsi = NaN;
    if (k >= 14) {
      const rs = range(k - 13, k).map(r);
      const gains = rs.filter((x) => x > 0).reduce((s, x) => s + x, 0);
      const losses = rs.filter((x) => x < 0).reduce((s, x) => s - x, 0);
      rsi = rs.every((x) => x === 0) ? 50 : (100 * gains) / (gains + losses);
    }
    const vol = (n: number): number => {
      if (k < n) return NaN;
      const rs = range(k - n + 1, k).map(r);
      const m = mean(rs);
      return Math.sqrt(rs.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1)) * Math.sqrt(252);
    };
    const dd = k + 1 >= 252 ? c(k) / Math.max(...range(k - 251, k).map(c)) - 1 : NaN;
    let mdd = NaN;
    if (k + 1 >= 126) {
      let peak = -Infinity;
      mdd = Infinity;
      for (const j of range(k - 125, k)) {
        peak = Math.max(peak, c(j));
        mdd = Math.min(mdd, c(j) / peak - 1);
      }
    }
    let vlm = NaN;
    if (k + 1 >= 20) {
      const m20 = mean(range(k - 19, k).map(v));
      vlm = m20 === 0 ? NaN : mean(range(k - 4, k).map(v)) / m20;
    }
    let amihud = NaN;
    if (k >= 20) {
      const terms = range(k - 19, k)
        .filter((j) => dv(j) > 0)
        .map((j) => Math.abs(r(j)) / dv(j));
      amihud = terms.length === 0 ? NaN : 1e6 * mean(terms);
    }
    const turnover =
      hasShares && k + 1 >= 20 ? mean(range(k - 19, k).map((j) => v(j) / panel.sharesOut![bars[j]])) : NaN;
    let beta = NaN;
    const pairs = range(Math.max(1, k - 251), k)
      .map((j) => [market(panel.date[bars[j]]), r(j)])
      .filter((p) => !Number.isNaN(p[0]));
    if (pairs.length >= 126) {
      const mx = mean(pairs.map((p) => p[0]));
      const my = mean(pairs.map((p) => p[1]));
      const varX = pairs.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
      const cov = pairs.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
      beta = pairs.every((p) => p[0] === pairs[0][0]) ? NaN : cov / varX;
    }
    let size: number;
    if (hasShares) size = Math.log(c(k) * panel.sharesOut![row]);
    else {
      const m = k + 1 >= 20 ? mean(range(k - 19, k).map(dv)) : NaN;
      size = m > 0 ? Math.log(m) : NaN;
    }
    out[row] = [
      mom,
      rev,
      maGap(20),
      maGap(50),
      maGap(200),
      rsi,
      vol(20),
      vol(60),
      dd,
      mdd,
      vlm,
      amihud,
      turnover,
      beta,
      size,
    ];
  }
  return out;
}

/** `numpy.percentile(xs, 100 q)`, linear, by a full sort. */
export function sortedPercentile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  if (below + 1 >= sorted.length) return sorted[below];
  const gamma = position - below;
  const lower = sorted[below];
  const upper = sorted[below + 1];
  return gamma >= 0.5 ? upper - (upper - lower) * (1 - gamma) : lower + (upper - lower) * gamma;
}

export interface NaiveRow {
  date: number;
  instrument: number;
  industry: number;
  carried: boolean;
  features: number[];
  beta: number;
  size: number;
  momentum: number;
  /** Raw vol_60 of the row's bar (style exposure). */
  vol60: number;
}

/**
 * The preprocessed feature rows (SPEC §2 carry-forward, §3) from the naive
 * raw features, with a sort per percentile and a filter per industry.
 */
export function naiveFeatureRows(
  panel: BarPanel,
  features: readonly string[],
  options: {
    minIndustrySize?: number;
    ffillLimit?: number;
    lower?: number;
    upper?: number;
    member?: NaiveMember;
  } = {},
): NaiveRow[] {
  const member = options.member ?? EVERYONE;
  const minSize = options.minIndustrySize ?? 5;
  const limit = options.ffillLimit ?? 5;
  const lower = options.lower ?? 0.01;
  const upper = options.upper ?? 0.99;
  const raw = naiveRawFeatures(panel, member);
  const columns = features.map((name) => NAIVE_RAW_NAMES.indexOf(name as (typeof NAIVE_RAW_NAMES)[number]));
  const lastRow = new Map<number, number>();
  const out: NaiveRow[] = [];
  let row = 0;
  for (let d = 0; d < panel.calendar.length; d++) {
    while (row < panel.length && panel.date[row] === d) lastRow.set(panel.instrument[row], row++);
    const rows: NaiveRow[] = [];
    for (const [instrument, source] of [...lastRow.entries()].sort((a, b) => a[0] - b[0])) {
      if (d - panel.date[source] > limit || !member(instrument, d)) continue;
      const values = raw[source];
      const picked = columns.map((c) => values[c]);
      if (picked.some(Number.isNaN)) continue;
      rows.push({
        date: d,
        instrument,
        industry: panel.industry[source],
        carried: panel.date[source] !== d,
        features: picked,
        beta: values[13],
        size: values[14],
        momentum: values[0],
        vol60: values[NAIVE_RAW_NAMES.indexOf('vol_60')],
      });
    }
    for (let f = 0; f < features.length; f++) {
      const xs = rows.map((r) => r.features[f]);
      const lo = sortedPercentile(xs, lower);
      const hi = sortedPercentile(xs, upper);
      const clipped = xs.map((x) => Math.min(Math.max(x, lo), hi));
      const groupOf = (k: number): number[] => {
        const members = rows.map((_, j) => j).filter((j) => rows[j].industry === rows[k].industry);
        return members.length < minSize ? rows.map((_, j) => j) : members;
      };
      const z = clipped.map((x, k) => {
        const group = groupOf(k).map((j) => clipped[j]);
        if (group.every((y) => y === group[0])) return 0;
        const m = group.reduce((s, y) => s + y, 0) / group.length;
        const sd = Math.sqrt(group.reduce((s, y) => s + (y - m) ** 2, 0) / group.length);
        return (x - m) / sd;
      });
      rows.forEach((r, k) => (r.features[f] = z[k]));
    }
    out.push(...rows);
  }
  return out;
}
