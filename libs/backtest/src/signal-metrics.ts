/**
 * Signal metrics of the point-in-time alphas (SPEC §12): daily IC and rank IC
 * against `label_21d` where the label has matured inside the backtest, their
 * mean, std and ICIR, and the mean next-day return of equal-weighted alpha
 * quintiles. One pass over date-sorted alpha rows with per-date scratch
 * buffers; O(rows log rows) for the ranks and the quintile edges.
 */
import { averageRanksSlice, pearsonSlice } from '@alphafeed/cv';
import { BacktestInputError } from './errors';
import type { MarketPanel } from './market-panel';
import { mean, stdDev } from './performance-metrics';

/** Point-in-time alphas, rows sorted by date (calendar positions). */
export interface AlphaRows {
  readonly length: number;
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  /** `alpha_combined`, bps. */
  readonly alpha: Float64Array;
}

export interface SignalOptions {
  /** Label horizon (21): the label of t is used only when `t + horizon <= end`. */
  readonly horizon: number;
  /** First and last calendar positions of the backtest (defaults: the whole calendar). */
  readonly start?: number;
  readonly end?: number;
}

export const QUINTILES = 5;

/** One row per date with alphas in [start, end]. */
export interface SignalSeries {
  readonly length: number;
  readonly date: Int32Array;
  /** Rows with an alpha on the date. */
  readonly names: Int32Array;
  /** NaN when the label is not matured, or fewer than 2 pairs, or a constant side. */
  readonly ic: Float64Array;
  readonly rankIc: Float64Array;
  /** `quintile[q][k]`: mean next-day return of quintile q + 1 on row k (NaN on the last date). */
  readonly quintile: readonly Float64Array[];
}

export interface SignalSummary {
  readonly ic_mean: number;
  readonly ic_std: number;
  readonly icir: number;
  readonly rank_ic_mean: number;
  readonly rank_ic_std: number;
  readonly rank_icir: number;
  readonly ic_dates: number;
  /** Mean over dates of each quintile's equal-weighted next-day return (fractions), quintile 1 = lowest alpha. */
  readonly quintile_next_day_return: readonly number[];
  readonly quintile_dates: number;
}

/**
 * `label` is the dense date-major `label_21d` matrix (`denseByDate` of a
 * label frame). Next-day returns follow the accounting's rule: a name with
 * no bar on t+1 returns 0 that day (SPEC §12).
 */
export function signalMetrics(
  alphas: AlphaRows,
  market: MarketPanel,
  label: Float64Array,
  options: SignalOptions,
): { series: SignalSeries; summary: SignalSummary } {
  const D = market.calendar.length;
  const N = market.instruments.length;
  const start = options.start ?? 0;
  const end = options.end ?? D - 1;
  if (label.length !== D * N)
    throw new BacktestInputError('PANEL', `the label matrix has ${label.length} cells, expected ${D} x ${N}`);
  const rowsByDate = dateRuns(alphas, D);

  const dates: number[] = [];
  for (let t = start; t <= end; t++) if (rowsByDate[t + 1] > rowsByDate[t]) dates.push(t);
  const m = dates.length;
  const series = {
    length: m,
    date: Int32Array.from(dates),
    names: new Int32Array(m),
    ic: new Float64Array(m).fill(NaN),
    rankIc: new Float64Array(m).fill(NaN),
    quintile: Array.from({ length: QUINTILES }, () => new Float64Array(m).fill(NaN)),
  };

  let widest = 0;
  for (const t of dates) widest = Math.max(widest, rowsByDate[t + 1] - rowsByDate[t]);
  const x = new Float64Array(widest);
  const y = new Float64Array(widest);
  const rx = new Float64Array(widest);
  const ry = new Float64Array(widest);
  const scratch = new Float64Array(widest);
  const edges = new Float64Array(QUINTILES + 1);
  const qSum = new Float64Array(QUINTILES);
  const qCount = new Int32Array(QUINTILES);

  for (let k = 0; k < m; k++) {
    const t = dates[k];
    const lo = rowsByDate[t];
    const hi = rowsByDate[t + 1];
    series.names[k] = hi - lo;

    if (t + options.horizon <= end) {
      let n = 0;
      for (let row = lo; row < hi; row++) {
        const a = alphas.alpha[row];
        const l = label[t * N + alphas.instrument[row]];
        if (Number.isFinite(a) && Number.isFinite(l)) {
          x[n] = a;
          y[n] = l;
          n++;
        }
      }
      series.ic[k] = pearsonSlice(x, y, 0, n);
      if (n >= 2) {
        averageRanksSlice(x, 0, n, rx, scratch);
        averageRanksSlice(y, 0, n, ry, scratch);
        series.rankIc[k] = pearsonSlice(rx, ry, 0, n);
      }
    }

    if (t < end) {
      let n = 0;
      for (let row = lo; row < hi; row++) if (Number.isFinite(alphas.alpha[row])) x[n++] = alphas.alpha[row];
      if (n === 0) continue;
      quantileEdges(x, n, scratch, edges);
      qSum.fill(0);
      qCount.fill(0);
      const next = (t + 1) * N;
      for (let row = lo; row < hi; row++) {
        const a = alphas.alpha[row];
        if (!Number.isFinite(a)) continue;
        const q = quintileOf(a, edges);
        const i = alphas.instrument[row];
        const r = market.bar[next + i] === 1 ? market.ret[next + i] : 0;
        qSum[q] += r === r ? r : 0;
        qCount[q]++;
      }
      for (let q = 0; q < QUINTILES; q++) if (qCount[q] > 0) series.quintile[q][k] = qSum[q] / qCount[q];
    }
  }
  return { series, summary: summarize(series) };
}

/**
 * `pandas.qcut(x, 5, labels=False)`: bins right-closed between the linear
 * quantile edges, the lowest value in bin 0. Where edges repeat (many tied
 * alphas) pandas refuses; here a value goes to the lowest bin that holds it.
 */
export function quintileOf(a: number, edges: Float64Array): number {
  for (let q = 0; q < QUINTILES - 1; q++) if (a <= edges[q + 1]) return q;
  return QUINTILES - 1;
}

/**
 * The linear (numpy default) quantiles 0, 1/5, .., 1 of `x[0..n)`, from one
 * native sort of a copy in `scratch`: O(n log n), cheaper than a selection
 * per edge.
 */
function quantileEdges(x: Float64Array, n: number, scratch: Float64Array, edges: Float64Array): void {
  const s = scratch.subarray(0, n);
  s.set(x.subarray(0, n));
  s.sort();
  for (let q = 0; q <= QUINTILES; q++) {
    const position = ((n - 1) * q) / QUINTILES;
    const below = Math.floor(position);
    const frac = position - below;
    edges[q] = below + 1 < n && frac > 0 ? s[below] + (s[below + 1] - s[below]) * frac : s[below];
  }
}

/** `offsets[t] .. offsets[t + 1]` are the rows of date t; the rows must be sorted by date. */
function dateRuns(alphas: AlphaRows, D: number): Int32Array {
  const offsets = new Int32Array(D + 1);
  let prev = -1;
  for (let row = 0; row < alphas.length; row++) {
    const t = alphas.date[row];
    if (!(t >= prev && t < D))
      throw new BacktestInputError(
        'ALPHAS',
        `alpha rows must be sorted by date inside the calendar; row ${row} has calendar position ${t} after ${prev}`,
      );
    prev = t;
    offsets[t + 1]++;
  }
  for (let t = 0; t < D; t++) offsets[t + 1] += offsets[t];
  return offsets;
}

function summarize(s: SignalSeries): SignalSummary {
  const finite = (v: Float64Array): Float64Array => v.filter((x) => Number.isFinite(x));
  const ic = finite(s.ic);
  const rank = finite(s.rankIc);
  const icMean = mean(ic);
  const icStd = stdDev(ic);
  const rankMean = mean(rank);
  const rankStd = stdDev(rank);
  const quintiles = s.quintile.map((q) => mean(finite(q)));
  return {
    ic_mean: icMean,
    ic_std: icStd,
    icir: icMean / icStd,
    rank_ic_mean: rankMean,
    rank_ic_std: rankStd,
    rank_icir: rankMean / rankStd,
    ic_dates: ic.length,
    quintile_next_day_return: quintiles,
    quintile_dates: finite(s.quintile[0]).length,
  };
}
