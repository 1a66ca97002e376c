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
 * State is one weight vector and a few per-instrument counters; the logs
 * (daily rows, trades, weights on rebalance dates) are typed columns. Cost:
 * O(N) per date plus whatever the hooks cost, O(dates × N) in all.
 */
import { parseIsoDay } from '@alphafeed/core';
import { float64Builder, int32Builder, uint8Builder } from './column-builder';
import { BacktestInputError } from './errors';
import { checkMarketPanel, type MarketPanel } from './market-panel';
import { growthLimitFrom, stampDutyOn, type TradingRules } from './trading-rules';

export type BacktestMode = 'long_short' | 'long_only';

/** Why a wanted trade did (not) happen; the code is the index. */
export const TRADE_STATUSES = ['filled', 'scaled', 'no_bar', 'limit_up', 'limit_down', 'write_off'] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];
const FILLED = 0;
const SCALED = 1;
const NO_BAR = 2;
const LIMIT_UP = 3;
const LIMIT_DOWN = 4;
const WRITE_OFF = 5;

/**
 * Long-only buys are scaled down only when they overdraw cash by more than
 * this: a target that sums to 1 within a solver's primal tolerance (1e-7)
 * must not mark every buy as scaled. Cash can therefore dip to -1e-7.
 */
export const CASH_TOLERANCE = 1e-7;

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

  const { ret, bar, member } = market;
  const longOnly = mode === 'long_only';
  const limits = rules.priceLimits;
  const dayNumber = Float64Array.from(market.calendar, parseIsoDay);
  const growthFrom = new Float64Array(N).fill(Infinity);
  if (limits !== null)
    for (let i = 0; i < N; i++) growthFrom[i] = growthLimitFrom(limits, market.instruments[i]);

  const n = end - start;
  const daily = newDaily(n);
  const K = hooks.exposures?.names.length ?? 0;
  const exposureValues = hooks.exposures === undefined ? null : new Float64Array(n * K);
  const trades = newTradeBuilders();
  const weightLog = {
    date: int32Builder(),
    instrument: int32Builder(),
    weight: float64Builder(),
    target: float64Builder(),
  };
  const rebal = { date: int32Builder(), kept: uint8Builder(), turnover: float64Builder() };

  const w = new Float64Array(N);
  const gap = new Int32Array(N);
  const bench = longOnly ? new Float64Array(N) : null;
  let pending: Float64Array | null = null;
  let pendingFrom = -1;
  let pendingRebalance = -1;
  const total = end - warmUpFrom + 1;

  for (let d = warmUpFrom; d < start; d++) {
    hooks.onDate?.(d);
    options.onProgress?.(d - warmUpFrom + 1, total);
  }

  for (let d = start; d <= end; d++) {
    const row = d - start - 1;
    if (d > start) {
      const base = d * N;
      // 1. Returns of the weights held at the close of d-1; a name without a bar earns 0.
      let rGross = 0;
      for (let i = 0; i < N; i++) {
        const wi = w[i];
        if (wi !== 0 && bar[base + i] === 1) {
          const r = ret[base + i];
          if (r === r) rGross += wi * r;
        }
      }
      const rBench = benchmarkReturn(ret, bar, member, d, N, longOnly);
      if (!(1 + rGross > 0))
        throw new BacktestInputError(
          'TARGET',
          `the book lost all its capital on ${market.calendar[d]} (gross return ${rGross}); check the target weights' leverage`,
        );
      // 2. Drift: w <- w (1 + r) / (1 + R_gross).
      const scale = 1 / (1 + rGross);
      for (let i = 0; i < N; i++) {
        const wi = w[i];
        if (wi === 0) continue;
        const r = bar[base + i] === 1 ? ret[base + i] : 0;
        w[i] = wi * (1 + (r === r ? r : 0)) * scale;
      }
      // 3. Write-offs: sold at the last close on the writeOffAfter-th date without a bar.
      const stamp = stampDutyOn(rules, dayNumber[d]);
      const buyCost = rules.cost;
      const sellCost = rules.cost + stamp;
      let cost = 0;
      let traded = 0;
      for (let i = 0; i < N; i++) {
        if (bar[base + i] === 1) {
          gap[i] = 0;
          continue;
        }
        gap[i]++;
        if (gap[i] >= writeOffAfter && w[i] !== 0) {
          const wi = w[i];
          const c = wi > 0 ? sellCost * wi : -buyCost * wi;
          trades.push(d, d, i, wi, 0, -wi, c, WRITE_OFF);
          cost += c;
          traded += Math.abs(wi);
          w[i] = 0;
        }
      }
      // 4. Fills of the decision of d-1 at the close of d.
      if (pending !== null) {
        const f = fill(pending, pendingFrom, d, buyCost, sellCost);
        cost += f.cost;
        traded += f.traded;
        rebal.turnover.set(pendingRebalance, f.traded / 2);
        pending = null;
      }
      const dd = daily;
      dd.date[row] = d;
      dd.gross[row] = rGross;
      dd.cost[row] = cost;
      dd.net[row] = rGross - cost;
      dd.benchmark[row] = rBench;
      dd.active[row] = rGross - cost - rBench;
      dd.turnover[row] = traded / 2;
    }

    hooks.onDate?.(d);
    if (bench !== null) benchmarkWeights(member, d, N, bench);

    if ((d - start) % every === 0) {
      const target = hooks.decide(d, w.slice(), bench === null ? null : bench.slice());
      if (target !== null) checkTarget(target, N, market.calendar[d], longOnly);
      const t = target ?? w;
      for (let i = 0; i < N; i++) {
        if (w[i] === 0 && t[i] === 0) continue;
        weightLog.date.push(d);
        weightLog.instrument.push(i);
        weightLog.weight.push(w[i]);
        weightLog.target.push(t[i]);
      }
      rebal.date.push(d);
      rebal.kept.push(target === null ? 1 : 0);
      rebal.turnover.push(d < end ? 0 : NaN);
      if (target !== null && d < end) {
        pending = target;
        pendingFrom = d;
        pendingRebalance = rebal.date.length - 1;
      }
    }

    if (d > start) {
      const b = bench === null ? null : bench.slice();
      daily.exAnteVol[row] = hooks.exAnteVol === undefined ? NaN : hooks.exAnteVol(d, w.slice(), b);
      if (exposureValues !== null && hooks.exposures !== undefined) {
        const x = hooks.exposures.of(d, w.slice(), b);
        exposureValues.set(x.subarray(0, K), row * K);
      }
      let gross = 0;
      let net = 0;
      let longs = 0;
      let shorts = 0;
      for (let i = 0; i < N; i++) {
        const wi = w[i];
        if (wi > 0) longs++;
        else if (wi < 0) shorts++;
        gross += Math.abs(wi);
        net += wi;
      }
      daily.grossExposure[row] = gross;
      daily.netExposure[row] = net;
      daily.longCount[row] = longs;
      daily.shortCount[row] = shorts;
    }
    options.onProgress?.(d - warmUpFrom + 1, total);
  }

  const tradeLog = trades.build();
  const counts = Object.fromEntries(TRADE_STATUSES.map((s) => [s, 0])) as Record<TradeStatus, number>;
  for (let k = 0; k < tradeLog.length; k++) counts[TRADE_STATUSES[tradeLog.status[k]]]++;
  return {
    mode,
    calendar: market.calendar,
    instruments: market.instruments,
    start,
    end,
    rebalanceEvery: every,
    daily,
    trades: tradeLog,
    weights: {
      length: weightLog.date.length,
      date: weightLog.date.toArray(),
      instrument: weightLog.instrument.toArray(),
      weight: weightLog.weight.toArray(),
      target: weightLog.target.toArray(),
    },
    rebalances: {
      length: rebal.date.length,
      date: rebal.date.toArray(),
      kept: rebal.kept.toArray(),
      turnover: rebal.turnover.toArray(),
    },
    exposures:
      exposureValues === null ? null : { names: hooks.exposures?.names ?? [], values: exposureValues },
    finalWeights: w,
    statusCounts: counts,
  };

  /**
   * Sets the filled names to their targets at the close of d. A name without
   * a bar on d, or (with price limits) a buy at limit-up / a sell at
   * limit-down after a bar on d-1, keeps its drifted weight. In long_only the
   * filled buys are scaled down pro rata when cash plus the filled sells
   * cannot pay for them.
   */
  function fill(
    target: Float64Array,
    decisionDate: number,
    d: number,
    buyCost: number,
    sellCost: number,
  ): { cost: number; traded: number } {
    const base = d * N;
    const prev = (d - 1) * N;
    const day = dayNumber[d];
    let buys = 0;
    let sells = 0;
    let invested = 0;
    const status = new Uint8Array(N).fill(255);
    for (let i = 0; i < N; i++) {
      invested += w[i];
      const tgt = target[i];
      const cur = w[i];
      if (tgt === cur) continue;
      let s = FILLED;
      if (bar[base + i] !== 1) s = NO_BAR;
      else if (limits !== null && bar[prev + i] === 1) {
        const r = ret[base + i];
        const open = (day >= growthFrom[i] ? limits.growth : limits.main) - limits.margin;
        if (tgt > cur && r >= open) s = LIMIT_UP;
        else if (tgt < cur && r <= -open) s = LIMIT_DOWN;
      }
      status[i] = s;
      if (s === FILLED) {
        if (tgt > cur) buys += tgt - cur;
        else sells += cur - tgt;
      }
    }
    let buyScale = 1;
    if (longOnly) {
      const available = Math.max(0, 1 - invested + sells);
      if (buys > available + CASH_TOLERANCE) buyScale = available / buys;
    }
    let cost = 0;
    let traded = 0;
    for (let i = 0; i < N; i++) {
      let s = status[i];
      if (s === 255) continue;
      const cur = w[i];
      let delta = 0;
      let c = 0;
      if (s === FILLED) {
        delta = target[i] - cur;
        if (delta > 0 && buyScale < 1) {
          delta *= buyScale;
          s = SCALED;
          w[i] = cur + delta;
        } else {
          w[i] = target[i];
        }
        c = delta > 0 ? buyCost * delta : -sellCost * delta;
        cost += c;
        traded += Math.abs(delta);
      }
      trades.push(d, decisionDate, i, cur, target[i], delta, c, s);
    }
    return { cost, traded };
  }
}

/** `B_d`: equal weights over the members on d-1, times their returns on d (0 without a bar). */
function benchmarkReturn(
  ret: Float64Array,
  bar: Uint8Array,
  member: Uint8Array,
  d: number,
  N: number,
  longOnly: boolean,
): number {
  if (!longOnly) return 0;
  const prev = (d - 1) * N;
  const base = d * N;
  let members = 0;
  let sum = 0;
  for (let i = 0; i < N; i++) {
    if (member[prev + i] !== 1) continue;
    members++;
    if (bar[base + i] === 1) {
      const r = ret[base + i];
      if (r === r) sum += r;
    }
  }
  return members === 0 ? 0 : sum / members;
}

function benchmarkWeights(member: Uint8Array, d: number, N: number, out: Float64Array): void {
  const base = d * N;
  let members = 0;
  for (let i = 0; i < N; i++) members += member[base + i];
  const wb = members === 0 ? 0 : 1 / members;
  for (let i = 0; i < N; i++) out[i] = member[base + i] === 1 ? wb : 0;
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

function checkTarget(target: Float64Array, N: number, date: string, longOnly: boolean): void {
  if (!(target instanceof Float64Array) || target.length !== N)
    throw new BacktestInputError(
      'TARGET',
      `the decision of ${date} returned ${target?.length ?? 'no'} target weights for ${N} instruments`,
    );
  for (let i = 0; i < N; i++) {
    const v = target[i];
    if (!Number.isFinite(v))
      throw new BacktestInputError(
        'TARGET',
        `the decision of ${date} gave instrument #${i} the weight ${v}; weights must be finite`,
      );
    if (longOnly && v < -CASH_TOLERANCE)
      throw new BacktestInputError(
        'TARGET',
        `the decision of ${date} gave instrument #${i} the weight ${v}; long_only weights must be >= 0`,
      );
  }
}

function newDaily(n: number): DailySeries {
  const f = (): Float64Array => new Float64Array(n);
  return {
    length: n,
    date: new Int32Array(n),
    net: f(),
    gross: f(),
    benchmark: f(),
    active: f(),
    cost: f(),
    turnover: f(),
    grossExposure: f(),
    netExposure: f(),
    longCount: new Int32Array(n),
    shortCount: new Int32Array(n),
    exAnteVol: f().fill(NaN),
  };
}

function newTradeBuilders() {
  const c = {
    fillDate: int32Builder(),
    decisionDate: int32Builder(),
    instrument: int32Builder(),
    weightBefore: float64Builder(),
    target: float64Builder(),
    traded: float64Builder(),
    cost: float64Builder(),
    status: uint8Builder(),
  };
  return {
    push(
      fillDate: number,
      decisionDate: number,
      i: number,
      before: number,
      target: number,
      traded: number,
      cost: number,
      status: number,
    ): void {
      c.fillDate.push(fillDate);
      c.decisionDate.push(decisionDate);
      c.instrument.push(i);
      c.weightBefore.push(before);
      c.target.push(target);
      c.traded.push(traded);
      c.cost.push(cost);
      c.status.push(status);
    },
    build(): TradeLog {
      return {
        length: c.fillDate.length,
        fillDate: c.fillDate.toArray(),
        decisionDate: c.decisionDate.toArray(),
        instrument: c.instrument.toArray(),
        weightBefore: c.weightBefore.toArray(),
        target: c.target.toArray(),
        traded: c.traded.toArray(),
        cost: c.cost.toArray(),
        status: c.status.toArray(),
      };
    },
  };
}
