/**
 * Test support: SPEC §10 written as directly as possible, from the whole
 * history of inputs, with none of the model's machinery: percentiles by
 * sorting, regression by ml-matrix's SVD pseudo-inverse of the dense X,
 * F and s^2 by brute-force sums over the window. Slow on purpose.
 */
import { Matrix, pseudoInverse } from 'ml-matrix';
import { Rng } from '@alphafeed/core';
import type { RiskDateInput } from '../risk.types';

export interface NaiveDate {
  readonly instrument: number[];
  readonly industry: number[];
  readonly universe: boolean[];
  /** Rows x K. */
  readonly X: number[][];
}

export interface NaiveRisk {
  readonly dates: NaiveDate[];
  /** f_d (null on the first date). */
  readonly f: (number[] | null)[];
  /** residual of instrument i on date d: residuals[d].get(i). */
  readonly residuals: Map<number, number>[];
  covariance(t: number): number[][];
  /** s^2 and own residual count per row of date t. */
  specific(t: number): { s2: number[]; count: number[] };
}

export interface NaiveOptions {
  readonly industries: number;
  readonly halfLife?: number;
  readonly window?: number;
  readonly minResiduals?: number;
  readonly floorQuantile?: number;
}

/** numpy.percentile(values, 100 q), linear, with numpy's `_lerp`. */
export function numpyPercentile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const gamma = position - below;
  const lower = sorted[below];
  const upper = sorted[above];
  const diff = upper - lower;
  return gamma >= 0.5 ? upper - diff * (1 - gamma) : lower + diff * gamma;
}

export function naiveRiskModel(inputs: RiskDateInput[], options: NaiveOptions): NaiveRisk {
  const G = options.industries;
  const K = G + 4;
  const halfLife = options.halfLife ?? 90;
  const window = options.window ?? 252;
  const minResiduals = options.minResiduals ?? 63;
  const floorQuantile = options.floorQuantile ?? 0.05;

  const dates: NaiveDate[] = inputs.map((input) => {
    const entries: number[] = [];
    for (let e = 0; e < input.length; e++)
      if (input.member === null || input.member[e] === 1) entries.push(e);
    const universe = entries.map((e) => !(input.carried !== null && input.carried[e] === 1));
    const X = entries.map((e) => {
      const row = new Array<number>(K).fill(0);
      row[input.industry[e]] = 1;
      return row;
    });
    [input.beta252, input.size, input.momentum, input.vol60].forEach((raw, a) => {
      const stats = entries
        .filter((_, r) => universe[r])
        .map((e) => raw[e])
        .filter((v) => !Number.isNaN(v));
      const lo = numpyPercentile(stats, 0.01);
      const hi = numpyPercentile(stats, 0.99);
      const clipped = stats.map((v) => Math.min(hi, Math.max(lo, v)));
      const mean = clipped.reduce((s, v) => s + v, 0) / clipped.length;
      const std = Math.sqrt(clipped.reduce((s, v) => s + (v - mean) ** 2, 0) / clipped.length);
      const constant = clipped.every((v) => v === clipped[0]);
      entries.forEach((e, r) => {
        const v = raw[e];
        X[r][G + a] =
          Number.isNaN(v) || stats.length === 0 || constant
            ? 0
            : (Math.min(hi, Math.max(lo, v)) - mean) / std;
      });
    });
    return {
      instrument: entries.map((e) => input.instrument[e]),
      industry: entries.map((e) => input.industry[e]),
      universe,
      X,
    };
  });

  const f: (number[] | null)[] = [null];
  const residuals: Map<number, number>[] = [new Map()];
  for (let d = 1; d < inputs.length; d++) {
    const prev = dates[d - 1];
    const input = inputs[d];
    const rowsX: number[][] = [];
    const r: number[] = [];
    const who: number[] = [];
    for (let e = 0; e < input.length; e++) {
      if (Number.isNaN(input.dailyReturn[e])) continue;
      const row = prev.instrument.indexOf(input.instrument[e]);
      if (row < 0 || !prev.universe[row]) continue;
      rowsX.push(prev.X[row]);
      r.push(input.dailyReturn[e]);
      who.push(input.instrument[e]);
    }
    const fd = new Array<number>(K).fill(0);
    if (rowsX.length > 0) {
      const solution = pseudoInverse(new Matrix(rowsX)).mmul(Matrix.columnVector(r));
      for (let k = 0; k < K; k++) fd[k] = solution.get(k, 0);
    }
    f.push(fd);
    const map = new Map<number, number>();
    rowsX.forEach((x, j) => map.set(who[j], r[j] - x.reduce((s, v, k) => s + v * fd[k], 0)));
    residuals.push(map);
  }

  const weight = (lag: number): number => Math.pow(0.5, lag / halfLife);
  return {
    dates,
    f,
    residuals,
    covariance(t) {
      const F = Array.from({ length: K }, () => new Array<number>(K).fill(0));
      let sum = 0;
      for (let d = Math.max(1, t - window + 1); d <= t; d++) {
        const w = weight(t - d);
        sum += w;
        const fd = f[d] as number[];
        for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) F[a][b] += w * fd[a] * fd[b];
      }
      return sum === 0 ? F : F.map((row) => row.map((v) => v / sum));
    },
    specific(t) {
      const date = dates[t];
      const own: number[] = [];
      const count: number[] = [];
      for (const instrument of date.instrument) {
        let num = 0;
        let den = 0;
        let c = 0;
        for (let d = Math.max(1, t - window + 1); d <= t; d++) {
          const e = residuals[d].get(instrument);
          if (e === undefined) continue;
          num += weight(t - d) * e * e;
          den += weight(t - d);
          c++;
        }
        own.push(c >= minResiduals ? num / den : NaN);
        count.push(c);
      }
      const universeOwn = own.filter((v, r) => date.universe[r] && !Number.isNaN(v));
      const median = numpyPercentile(universeOwn, 0.5);
      const floor = numpyPercentile(universeOwn, floorQuantile);
      const s2 = own.map((v, r) => {
        let x = v;
        if (Number.isNaN(x)) {
          const peers = own.filter(
            (p, q) => date.universe[q] && !Number.isNaN(p) && date.industry[q] === date.industry[r],
          );
          x = peers.length > 0 ? numpyPercentile(peers, 0.5) : median;
        }
        return x < floor ? floor : x;
      });
      return { s2, count };
    },
  };
}

export interface RandomRiskPanelOptions {
  readonly instruments: number;
  readonly dates: number;
  readonly industries: number;
  readonly seed: number;
  /** Industry ids that never get a member (zero columns). */
  readonly emptyIndustries?: readonly number[];
}

/**
 * Random risk inputs with a factor structure and the awkward cases: late
 * listings, names leaving and re-joining membership, carried rows (NaN
 * return), missing styles, non-member entries that still carry a return,
 * industry changes, entries in shuffled order.
 */
export function randomRiskPanel(options: RandomRiskPanelOptions): RiskDateInput[] {
  const { instruments, dates, industries, seed } = options;
  const empty = new Set(options.emptyIndustries ?? []);
  const usable = Array.from({ length: industries }, (_, g) => g).filter((g) => !empty.has(g));
  const rng = new Rng(seed);
  const industry = Array.from({ length: instruments }, () => usable[rng.int(usable.length)]);
  const listed = Array.from({ length: instruments }, () => (rng.uniform() < 0.2 ? rng.int(dates >> 1) : 0));
  const styleLevel = Array.from({ length: instruments }, () => [
    rng.normal(),
    rng.normal(),
    rng.normal(),
    rng.normal(),
  ]);
  const out: RiskDateInput[] = [];
  for (let d = 0; d < dates; d++) {
    const marketMove = 0.01 * rng.normal();
    const industryMove = Array.from({ length: industries }, () => 0.005 * rng.normal());
    const order = Array.from({ length: instruments }, (_, i) => i).sort(() => rng.uniform() - 0.5);
    const cols = {
      instrument: [] as number[],
      industry: [] as number[],
      member: [] as number[],
      carried: [] as number[],
      styles: [[], [], [], []] as number[][],
      ret: [] as number[],
    };
    for (const i of order) {
      if (d < listed[i]) continue;
      if (rng.uniform() < 0.002) industry[i] = usable[rng.int(usable.length)];
      // Absent (no bar, past the carry limit), a non-member bar (a return only), a carried row, or a real row.
      if (rng.uniform() < 0.02) continue;
      const member = rng.uniform() < 0.9;
      const carried = member && d > listed[i] && rng.uniform() < 0.04;
      cols.instrument.push(i);
      cols.industry.push(industry[i]);
      cols.member.push(member ? 1 : 0);
      cols.carried.push(carried ? 1 : 0);
      for (let a = 0; a < 4; a++) {
        styleLevel[i][a] += 0.05 * rng.normal();
        cols.styles[a].push(
          rng.uniform() < 0.05 ? NaN : styleLevel[i][a] * (a === 1 ? 3 : 1) + (a === 3 ? 5 : 0),
        );
      }
      const firstBar = d === listed[i];
      cols.ret.push(
        carried || firstBar
          ? NaN
          : marketMove + industryMove[industry[i]] + 0.002 * styleLevel[i][0] + 0.02 * rng.studentT(5),
      );
    }
    out.push({
      length: cols.instrument.length,
      instrument: Int32Array.from(cols.instrument),
      industry: Int32Array.from(cols.industry),
      member: Uint8Array.from(cols.member),
      carried: Uint8Array.from(cols.carried),
      beta252: Float64Array.from(cols.styles[0]),
      size: Float64Array.from(cols.styles[1]),
      momentum: Float64Array.from(cols.styles[2]),
      vol60: Float64Array.from(cols.styles[3]),
      dailyReturn: Float64Array.from(cols.ret),
    });
  }
  return out;
}
