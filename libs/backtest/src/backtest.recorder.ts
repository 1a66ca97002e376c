/**
 * The logs of a backtest (daily rows, trades, weights on rebalance dates,
 * rebalances, factor exposures) kept as typed columns while a `BacktestBook`
 * is driven date by date, and the `BacktestResult` they make. `runBacktest`
 * and the portfolio engine's batch run record through the same class, so
 * their results have one shape and one meaning.
 */
import { float64Builder, int32Builder, uint8Builder } from './column-builder';
import type { BacktestMode, BookDay, ExposureStats, TradeSink } from './backtest.book';
import { TRADE_STATUSES, type TradeStatus } from './backtest.book';
import type { BacktestResult, DailySeries, TradeLog } from './backtest.engine';

export interface RecorderOptions {
  /** Calendar position of the first decision (the book opens in cash). */
  readonly start: number;
  /** Last calendar position, inclusive. */
  readonly end: number;
  /** Factor names of the exposure log; null = no exposure log. */
  readonly exposureNames?: readonly string[] | null;
}

export class BacktestRecorder {
  readonly start: number;
  readonly end: number;
  readonly daily: DailySeries;
  readonly trades: TradeSink & { build(): TradeLog };
  private readonly exposureNames: readonly string[] | null;
  private readonly exposureValues: Float64Array | null;
  private readonly weightLog = {
    date: int32Builder(),
    instrument: int32Builder(),
    weight: float64Builder(),
    target: float64Builder(),
  };
  private readonly rebal = { date: int32Builder(), kept: uint8Builder(), turnover: float64Builder() };

  constructor(options: RecorderOptions) {
    this.start = options.start;
    this.end = options.end;
    const n = options.end - options.start;
    this.daily = newDaily(n);
    this.exposureNames = options.exposureNames ?? null;
    this.exposureValues =
      this.exposureNames === null ? null : new Float64Array(n * this.exposureNames.length);
    this.trades = newTradeBuilders();
  }

  /** The accounting of date d (start < d <= end). */
  day(d: number, day: BookDay): void {
    const row = d - this.start - 1;
    const dd = this.daily;
    dd.date[row] = d;
    dd.gross[row] = day.gross;
    dd.cost[row] = day.cost;
    dd.net[row] = day.gross - day.cost;
    dd.benchmark[row] = day.benchmark;
    dd.active[row] = day.gross - day.cost - day.benchmark;
    dd.turnover[row] = day.traded / 2;
    if (day.filledDecision >= 0) {
      // The filled decision is the last rebalance recorded.
      const k = this.rebal.date.length - 1;
      this.rebal.turnover.set(k, day.filledTraded / 2);
    }
  }

  /**
   * A rebalance date: the weights held at its close (what the decision saw)
   * and the target (null = kept the book); `fills` false when the decision
   * cannot fill inside the run (the last date).
   */
  rebalance(d: number, held: Float64Array, target: Float64Array | null, fills: boolean): void {
    const t = target ?? held;
    const log = this.weightLog;
    for (let i = 0; i < held.length; i++) {
      if (held[i] === 0 && t[i] === 0) continue;
      log.date.push(d);
      log.instrument.push(i);
      log.weight.push(held[i]);
      log.target.push(t[i]);
    }
    this.rebal.date.push(d);
    this.rebal.kept.push(target === null ? 1 : 0);
    this.rebal.turnover.push(fills ? 0 : NaN);
  }

  /** The close of date d (start < d <= end) after its decision: ex-ante vol, exposures, exposure stats. */
  closeDay(d: number, exAnteVol: number, exposures: Float64Array | null, stats: ExposureStats): void {
    const row = d - this.start - 1;
    const dd = this.daily;
    dd.exAnteVol[row] = exAnteVol;
    if (this.exposureValues !== null && exposures !== null && this.exposureNames !== null) {
      const K = this.exposureNames.length;
      this.exposureValues.set(exposures.subarray(0, K), row * K);
    }
    dd.grossExposure[row] = stats.gross;
    dd.netExposure[row] = stats.net;
    dd.longCount[row] = stats.longs;
    dd.shortCount[row] = stats.shorts;
  }

  result(meta: {
    readonly mode: BacktestMode;
    readonly calendar: readonly string[];
    readonly instruments: readonly string[];
    readonly rebalanceEvery: number;
    readonly finalWeights: Float64Array;
  }): BacktestResult {
    const tradeLog = this.trades.build();
    const counts = Object.fromEntries(TRADE_STATUSES.map((s) => [s, 0])) as Record<TradeStatus, number>;
    for (let k = 0; k < tradeLog.length; k++) counts[TRADE_STATUSES[tradeLog.status[k]]]++;
    const log = this.weightLog;
    return {
      mode: meta.mode,
      calendar: meta.calendar,
      instruments: meta.instruments,
      start: this.start,
      end: this.end,
      rebalanceEvery: meta.rebalanceEvery,
      daily: this.daily,
      trades: tradeLog,
      weights: {
        length: log.date.length,
        date: log.date.toArray(),
        instrument: log.instrument.toArray(),
        weight: log.weight.toArray(),
        target: log.target.toArray(),
      },
      rebalances: {
        length: this.rebal.date.length,
        date: this.rebal.date.toArray(),
        kept: this.rebal.kept.toArray(),
        turnover: this.rebal.turnover.toArray(),
      },
      exposures:
        this.exposureValues === null || this.exposureNames === null
          ? null
          : { names: this.exposureNames, values: this.exposureValues },
      finalWeights: meta.finalWeights,
      statusCounts: counts,
    };
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

function newTradeBuilders(): TradeSink & { build(): TradeLog } {
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
    push(fillDate, decisionDate, i, before, target, traded, cost, status): void {
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
