/**
 * The return metrics of SPEC §12, with quantstats / empyrical semantics at
 * rf = 0 and 252 periods a year. Degenerate input has one policy: NaN (too
 * few days, zero volatility, no drawdown), never a silent 0. Means and
 * variances are two-pass (mean first, then squared deviations), wealth a
 * running product as `cumprod` computes it. O(n) each.
 */
export const TRADING_DAYS = 252;

export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample standard deviation (ddof = 1); NaN below two values. */
export function stdDev(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) * (x[i] - m);
  return Math.sqrt(ss / (n - 1));
}

/** `prod(1 + R) - 1`. */
export function totalReturn(r: ArrayLike<number>): number {
  let w = 1;
  for (let i = 0; i < r.length; i++) w *= 1 + r[i];
  return w - 1;
}

/** `prod(1 + R)^(252 / n) - 1` (empyrical `annual_return`, quantstats `cagr` on trading days). */
export function annualReturn(r: ArrayLike<number>): number {
  if (r.length === 0) return NaN;
  return Math.pow(1 + totalReturn(r), TRADING_DAYS / r.length) - 1;
}

/** `std(R, ddof=1) * sqrt(252)`. */
export function annualVolatility(r: ArrayLike<number>): number {
  return stdDev(r) * Math.sqrt(TRADING_DAYS);
}

/** `mean(R) / std(R, ddof=1) * sqrt(252)`; NaN when the std is 0. */
export function sharpeRatio(r: ArrayLike<number>): number {
  const s = stdDev(r);
  if (!(s > 0)) return NaN;
  return (mean(r) / s) * Math.sqrt(TRADING_DAYS);
}

/** `min(W / cummax(W) - 1)` with `W = cumprod(1 + R)` preceded by `W_0 = 1`; 0 when wealth never falls. */
export function maxDrawdown(r: ArrayLike<number>): number {
  let w = 1;
  let peak = 1;
  let worst = 0;
  for (let i = 0; i < r.length; i++) {
    w *= 1 + r[i];
    if (w > peak) peak = w;
    const dd = w / peak - 1;
    if (dd < worst) worst = dd;
  }
  return worst;
}

/** The drawdown series `W / cummax(W) - 1` (W_0 = 1 counts as a peak), for plots. */
export function drawdownSeries(r: ArrayLike<number>): Float64Array {
  const out = new Float64Array(r.length);
  let w = 1;
  let peak = 1;
  for (let i = 0; i < r.length; i++) {
    w *= 1 + r[i];
    if (w > peak) peak = w;
    out[i] = w / peak - 1;
  }
  return out;
}

/** Annual return / |max drawdown|; NaN without a drawdown. */
export function calmarRatio(r: ArrayLike<number>): number {
  const mdd = maxDrawdown(r);
  if (!(mdd < 0)) return NaN;
  return annualReturn(r) / Math.abs(mdd);
}

/** Share of days with `R > 0`, over all n days (SPEC §12; quantstats' win_rate leaves out zero days). */
export function hitRate(r: ArrayLike<number>): number {
  if (r.length === 0) return NaN;
  let wins = 0;
  for (let i = 0; i < r.length; i++) if (r[i] > 0) wins++;
  return wins / r.length;
}

export interface ReturnMetrics {
  readonly total_return: number;
  readonly annual_return: number;
  readonly annual_volatility: number;
  readonly sharpe: number;
  /** Sharpe of the active return `R - B` (annualised, as SPEC §12 defines it). */
  readonly information_ratio: number;
  readonly max_drawdown: number;
  readonly calmar: number;
  readonly hit_rate: number;
}

/** Every §12 return metric of `r`, the information ratio on `r - benchmark`. */
export function returnMetrics(r: Float64Array, benchmark: Float64Array): ReturnMetrics {
  const active = new Float64Array(r.length);
  for (let i = 0; i < r.length; i++) active[i] = r[i] - benchmark[i];
  return {
    total_return: totalReturn(r),
    annual_return: annualReturn(r),
    annual_volatility: annualVolatility(r),
    sharpe: sharpeRatio(r),
    information_ratio: sharpeRatio(active),
    max_drawdown: maxDrawdown(r),
    calmar: calmarRatio(r),
    hit_rate: hitRate(r),
  };
}

/**
 * Sharpe over a trailing window of `window` days ending at each day (NaN
 * until the window is full), for the rolling-Sharpe plot. Running sums over
 * the window, re-centred on the window mean: O(n).
 */
export function rollingSharpe(r: ArrayLike<number>, window: number): Float64Array {
  const out = new Float64Array(r.length).fill(NaN);
  if (window < 2) return out;
  let s = 0;
  let ss = 0;
  for (let i = 0; i < r.length; i++) {
    s += r[i];
    ss += r[i] * r[i];
    if (i >= window) {
      s -= r[i - window];
      ss -= r[i - window] * r[i - window];
    }
    if (i >= window - 1) {
      const m = s / window;
      const v = Math.max(0, (ss - window * m * m) / (window - 1));
      out[i] = v > 1e-30 ? (m / Math.sqrt(v)) * Math.sqrt(TRADING_DAYS) : NaN;
    }
  }
  return out;
}
