/**
 * The §12 figures of a finished backtest: return metrics with and without
 * costs, turnover, costs a year, the bias statistic of the ex-ante vol.
 * O(days + rebalances).
 */
import type { BacktestResult, TradeStatus } from './backtest.engine';
import { mean, returnMetrics, stdDev, TRADING_DAYS, type ReturnMetrics } from './performance-metrics';

export interface BacktestMetrics {
  /** Backtest days n (start+1 .. end) and n / 252. */
  readonly days: number;
  readonly years: number;
  readonly first_date: string;
  readonly last_date: string;
  readonly net: ReturnMetrics;
  readonly gross: ReturnMetrics;
  /** Metrics of the benchmark itself (long_only; zeros in long_short give NaN ratios). */
  readonly benchmark: Pick<
    ReturnMetrics,
    'total_return' | 'annual_return' | 'annual_volatility' | 'sharpe' | 'max_drawdown'
  >;
  /** Mean one-sided filled turnover per rebalance after the first build (write-offs included). */
  readonly turnover_per_rebalance: number;
  /** One-sided filled turnover a year after the first build (write-offs included). */
  readonly turnover_per_year: number;
  /** Costs paid, bps of capital a year (first build included). */
  readonly cost_bps_per_year: number;
  /** Rebalance dates with a fill inside the run, how many kept the book, the first build's date. */
  readonly rebalances: number;
  readonly rebalances_kept: number;
  readonly first_build_date: string | null;
  readonly trades: Readonly<Record<TradeStatus, number>>;
  /** `std(z)`, `z_d = (R_gross_d - B_d) / sigma_{d-1}` over the days with a positive ex-ante vol (1 = calibrated). */
  readonly bias_statistic: number;
  readonly bias_days: number;
  /** Mean ex-ante daily vol of the held (active) weights, annualised, and the realised vol of `R_gross - B`. */
  readonly ex_ante_vol_annual: number;
  readonly realised_active_vol_annual: number;
}

export function summarizeBacktest(r: BacktestResult): BacktestMetrics {
  const d = r.daily;
  const n = d.length;
  const grossActive = new Float64Array(n);
  for (let k = 0; k < n; k++) grossActive[k] = d.gross[k] - d.benchmark[k];
  const bench = returnMetrics(d.benchmark, new Float64Array(n));

  const turnover = turnoverAfterFirstBuild(r);
  let costs = 0;
  for (let k = 0; k < n; k++) costs += d.cost[k];

  const z: number[] = [];
  const sigma: number[] = [];
  for (let k = 1; k < n; k++) {
    const s = d.exAnteVol[k - 1];
    if (Number.isFinite(s) && s > 0) {
      z.push(grossActive[k] / s);
      sigma.push(s);
    }
  }
  return {
    days: n,
    years: n / TRADING_DAYS,
    first_date: r.calendar[d.date[0]],
    last_date: r.calendar[d.date[n - 1]],
    net: returnMetrics(d.net, d.benchmark),
    gross: returnMetrics(d.gross, d.benchmark),
    benchmark: {
      total_return: bench.total_return,
      annual_return: bench.annual_return,
      annual_volatility: bench.annual_volatility,
      sharpe: bench.sharpe,
      max_drawdown: bench.max_drawdown,
    },
    turnover_per_rebalance: turnover.perRebalance,
    turnover_per_year: (turnover.total / n) * TRADING_DAYS,
    cost_bps_per_year: (costs / n) * TRADING_DAYS * 1e4,
    rebalances: turnover.rebalances,
    rebalances_kept: turnover.kept,
    first_build_date: turnover.firstBuild < 0 ? null : r.calendar[turnover.firstBuild],
    trades: r.statusCounts,
    bias_statistic: stdDev(z),
    bias_days: z.length,
    ex_ante_vol_annual: mean(sigma) * Math.sqrt(TRADING_DAYS),
    realised_active_vol_annual: stdDev(grossActive) * Math.sqrt(TRADING_DAYS),
  };
}

/**
 * Turnover after the first build: the first rebalance whose fill traded
 * anything builds the book from cash and is left out, with the rebalances
 * before it (cash kept as cash); every later fill and every write-off after
 * the build counts. Per rebalance = that total / the later rebalances with
 * a fill inside the run.
 */
function turnoverAfterFirstBuild(r: BacktestResult): {
  total: number;
  perRebalance: number;
  rebalances: number;
  kept: number;
  firstBuild: number;
} {
  const rb = r.rebalances;
  let first = -1;
  let rebalances = 0;
  let kept = 0;
  for (let k = 0; k < rb.length; k++) {
    if (Number.isNaN(rb.turnover[k])) continue; // decided on the last date: no fill inside the run
    rebalances++;
    kept += rb.kept[k];
    if (first < 0 && rb.turnover[k] > 0) first = k;
  }
  if (first < 0) return { total: 0, perRebalance: NaN, rebalances, kept, firstBuild: -1 };
  const buildFill = rb.date[first] + 1;
  let total = 0;
  for (let k = 0; k < r.daily.length; k++) {
    const day = r.daily.date[k];
    if (day < buildFill) continue;
    total += day === buildFill ? r.daily.turnover[k] - rb.turnover[first] : r.daily.turnover[k];
  }
  let later = 0;
  for (let k = first + 1; k < rb.length; k++) if (!Number.isNaN(rb.turnover[k])) later++;
  return {
    total,
    perRebalance: later === 0 ? NaN : total / later,
    rebalances,
    kept,
    firstBuild: rb.date[first],
  };
}
