/**
 * The backtest accounting of SPEC §12, one calendar date at a time, driven by
 * injected hooks so that the risk model and the optimizer (or any decision
 * rule) plug in without this lib knowing them:
 *
 *   for each date d in [start, end]:
 *     d > start: returns of the weights held at the close of d-1, benchmark,
 *                drift, write-offs, fills of the decision of d-1, costs
 *     hooks.onDate(d)                 (e.g. the risk model takes date d)
 *     rebalance date: hooks.decide(d, w, b) → target weights | null (keep)
 *     hooks.exAnteVol(d, w, b), hooks.exposures.of(d, w, b)
 *
 * The state and the per-date step are `BacktestBook` (the live portfolio
 * engine drives the same class); the logs are `BacktestRecorder`'s typed
 * columns. Cost: O(N) per date plus whatever the hooks cost, O(dates × N).
 */
import {
  BacktestBook,
  checkTarget,
  type BacktestMode,
  type BookDate,
  type TradeStatus,
} from './backtest.book';
import { BacktestRecorder } from './backtest.recorder';
import { BacktestInputError } from './errors';
import { checkMarketPanel, type MarketPanel } from './market-panel';
import type { TradingRules } from './trading-rules';

export { TRADE_STATUSES, CASH_TOLERANCE } from './backtest.book';
export type { BacktestMode, TradeStatus } from './backtest.book';

export interface BacktestOptions {
  readonly mode: BacktestMode;
  /** Rebalance every this many calendar positions from `start` (config `portfolio.rebalance_every`). */
  readonly rebalanceEvery: number;
  /** Calendar position of the first date with point-in-time alphas: the first decision, book in cash. */
  readonly start: number;
  /** Last calendar position, inclusive (default: the last date). */
  readonly end?: number;
  readonly rules: TradingRules;
  /** A held name with no bar for this many consecutive dates is written off (the carry-forward limit, default 5). */
  readonly writeOffAfter?: number;
  /** `onDate` is also called for the dates from here to `start - 1` (risk-model warm-up); default `start`. */
  readonly warmUpFrom?: number;
  /** Called after each date with (dates done, dates in all), warm-up included. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface BacktestHooks {
  /** After the accounting of date d, before any decision on d; called for every date in order. */
  readonly onDate?: (d: number) => void;
  /**
   * On each rebalance date t: the target weights (length N, finite; fractions
   * of capital) to fill at the close of t+1, or null to keep the book.
   * `weights` are the drifted weights held at the close of t (a copy);
   * `benchmark` the equal weights of the members on t in long_only, else null.
   */
  readonly decide: (t: number, weights: Float64Array, benchmark: Float64Array | null) => Float64Array | null;
  /** Ex-ante daily vol `sqrt((w-b)' Sigma_d (w-b))` of the weights held at the close of d; NaN if unknown. */
  readonly exAnteVol?: (d: number, weights: Float64Array, benchmark: Float64Array | null) => number;
  /** Factor exposures `X_d'(w - b)` of the weights held at the close of d, one per name. */
  readonly exposures?: {
    readonly names: readonly string[];
    readonly of: (d: number, weights: Float64Array, benchmark: Float64Array | null) => Float64Array;
  };
}

/** One row per backtest day (start+1 .. end), SPEC §12 quantities. */
export interface DailySeries {
  readonly length: number;
  /** Calendar positions. */
  readonly date: Int32Array;
  /** `R_d = R_gross - cost`. */
  readonly net: Float64Array;
  /** `R_gross = sum w_{d-1} r_d`. */
  readonly gross: Float64Array;
  /** `B_d` (0 in long_short). */
  readonly benchmark: Float64Array;
  /** `A_d = R_d - B_d`. */
  readonly active: Float64Array;
  readonly cost: Float64Array;
  /** One-sided filled turnover `sum |traded| / 2`, write-offs included. */
  readonly turnover: Float64Array;
  /** At the close of d, after fills. */
  readonly grossExposure: Float64Array;
  readonly netExposure: Float64Array;
  readonly longCount: Int32Array;
  readonly shortCount: Int32Array;
  /** Ex-ante daily vol of the weights held at the close of d (NaN without the hook). */
  readonly exAnteVol: Float64Array;
}

/** Every wanted trade at its fill date, filled or not, and every write-off. */
export interface TradeLog {
  readonly length: number;
  readonly fillDate: Int32Array;
  /** The rebalance date whose decision it fills (the write-off's own date for a write-off). */
  readonly decisionDate: Int32Array;
  readonly instrument: Int32Array;
  /** Drifted weight at the fill, before the trade. */
  readonly weightBefore: Float64Array;
  readonly target: Float64Array;
  /** Signed filled change of weight (0 when not filled). */
  readonly traded: Float64Array;
  /** Cost charged, a fraction of capital. */
  readonly cost: Float64Array;
  /** Index into TRADE_STATUSES. */
  readonly status: Uint8Array;
}

/** Weights held at the close of each rebalance date (what the decision saw) and its target. */
export interface WeightLog {
  readonly length: number;
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  readonly weight: Float64Array;
  /** The decision's target; equal to `weight` when the decision kept the book. */
  readonly target: Float64Array;
}

export interface RebalanceLog {
  readonly length: number;
  readonly date: Int32Array;
  /** 1 when the decision kept the book (null target). */
  readonly kept: Uint8Array;
  /** One-sided turnover filled at t+1; NaN for a decision on the last date (no fill inside the run). */
  readonly turnover: Float64Array;
}

export interface ExposureLog {
  readonly names: readonly string[];
  /** Row k of `values` (K wide) belongs to daily row k. */
  readonly values: Float64Array;
}

export interface BacktestResult {
  readonly mode: BacktestMode;
  readonly calendar: readonly string[];
  readonly instruments: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly rebalanceEvery: number;
  readonly daily: DailySeries;
  readonly trades: TradeLog;
  readonly weights: WeightLog;
  readonly rebalances: RebalanceLog;
  readonly exposures: ExposureLog | null;
  /** Weights held at the close of `end`. */
  readonly finalWeights: Float64Array;
  /** Count of trade log rows per status, in TRADE_STATUSES order. */
  readonly statusCounts: Readonly<Record<TradeStatus, number>>;
}

export function runBacktest(
  market: MarketPanel,
  options: BacktestOptions,
  hooks: BacktestHooks,
): BacktestResult {
  checkMarketPanel(market);
  const D = market.calendar.length;
  const N = market.instruments.length;
  const { mode, rebalanceEvery: every, start, rules } = options;
  const end = options.end ?? D - 1;
  const writeOffAfter = options.writeOffAfter ?? 5;
  const warmUpFrom = options.warmUpFrom ?? start;
  checkOptions(D, start, end, every, writeOffAfter, warmUpFrom, mode);

  const recorder = new BacktestRecorder({ start, end, exposureNames: hooks.exposures?.names ?? null });
  const book = new BacktestBook({
    mode,
    rules,
    writeOffAfter,
    instruments: market.instruments,
    trades: recorder.trades,
  });
  const total = end - warmUpFrom + 1;

  for (let d = warmUpFrom; d < start; d++) {
    hooks.onDate?.(d);
    options.onProgress?.(d - warmUpFrom + 1, total);
  }

  for (let d = start; d <= end; d++) {
    const date: BookDate = {
      iso: market.calendar[d],
      bar: market.bar.subarray(d * N, d * N + N),
      ret: market.ret.subarray(d * N, d * N + N),
      member: market.member.subarray(d * N, d * N + N),
    };
    if (d > start) recorder.day(d, book.close(d, date));
    else book.open(d, date);

    hooks.onDate?.(d);
    const bench = book.benchmark;

    if ((d - start) % every === 0) {
      const target = hooks.decide(d, book.weights.slice(), bench === null ? null : bench.slice());
      if (target !== null && (!(target instanceof Float64Array) || target.length !== N))
        throw new BacktestInputError(
          'TARGET',
          `the decision of ${market.calendar[d]} returned ${target?.length ?? 'no'} target weights for ${N} instruments`,
        );
      if (target !== null) checkTarget(target, N, market.calendar[d], mode === 'long_only');
      recorder.rebalance(d, book.weights, target, d < end);
      if (target !== null && d < end) book.decide(target);
    }

    if (d > start) {
      const w = book.weights;
      const b = bench === null ? null : bench.slice();
      const vol = hooks.exAnteVol === undefined ? NaN : hooks.exAnteVol(d, w.slice(), b);
      const x = hooks.exposures === undefined ? null : hooks.exposures.of(d, w.slice(), b);
      recorder.closeDay(d, vol, x, book.exposureStats());
    }
    options.onProgress?.(d - warmUpFrom + 1, total);
  }

  return recorder.result({
    mode,
    calendar: market.calendar,
    instruments: market.instruments,
    rebalanceEvery: every,
    finalWeights: book.weights.slice(),
  });
}

function checkOptions(
  D: number,
  start: number,
  end: number,
  every: number,
  writeOffAfter: number,
  warmUpFrom: number,
  mode: string,
): void {
  const bad = (what: string): never => {
    throw new BacktestInputError('RANGE', what);
  };
  if (mode !== 'long_short' && mode !== 'long_only')
    bad(`backtest mode must be long_short or long_only, got "${mode}"`);
  if (!(Number.isInteger(every) && every > 0)) bad(`rebalanceEvery must be a positive integer, got ${every}`);
  if (!(Number.isInteger(writeOffAfter) && writeOffAfter > 0))
    bad(`writeOffAfter must be a positive integer, got ${writeOffAfter}`);
  if (!(Number.isInteger(start) && start >= 0 && start < D))
    bad(`the backtest start (calendar position ${start}) is outside the calendar of ${D} dates`);
  if (!(Number.isInteger(end) && end > start && end < D))
    bad(
      `the backtest end (calendar position ${end}) must be after the start (${start}) and inside the calendar of ${D} dates; ` +
        'a backtest needs at least one date after the first decision',
    );
  if (!(Number.isInteger(warmUpFrom) && warmUpFrom >= 0 && warmUpFrom <= start))
    bad(`warmUpFrom (${warmUpFrom}) must be a calendar position in [0, start = ${start}]`);
}
