/**
 * The derived series a tear sheet plots: wealth, monthly returns, rolling
 * means and vols. Plain loops over typed arrays; running sums for the
 * rolling windows (O(n)), NaN-aware where the input has gaps (IC on dates
 * whose label has not matured).
 */
import { TRADING_DAYS } from '@alphafeed/backtest';

/** `prod(1 + r) - 1` after each day. */
export function cumulativeReturn(r: Float64Array): Float64Array {
  const out = new Float64Array(r.length);
  let w = 1;
  for (let i = 0; i < r.length; i++) {
    w *= 1 + r[i];
    out[i] = w - 1;
  }
  return out;
}

export interface MonthlyReturns {
  readonly years: readonly number[];
  /** `[yearIndex, month 0..11, compounded return]` for every month with days. */
  readonly cells: readonly (readonly [number, number, number])[];
  /** Compounded return of each year (over its days in the series). */
  readonly yearly: readonly number[];
}

/** Compounded returns per calendar month of ISO dates. */
export function monthlyReturns(date: readonly string[], r: Float64Array): MonthlyReturns {
  const byMonth = new Map<string, number>();
  for (let i = 0; i < r.length; i++) {
    const key = date[i].slice(0, 7);
    byMonth.set(key, (byMonth.get(key) ?? 1) * (1 + r[i]));
  }
  const years = [...new Set([...byMonth.keys()].map((k) => Number(k.slice(0, 4))))].sort((a, b) => a - b);
  const yearly = years.map(() => 1);
  const cells: [number, number, number][] = [];
  for (const [key, growth] of byMonth) {
    const y = years.indexOf(Number(key.slice(0, 4)));
    cells.push([y, Number(key.slice(5, 7)) - 1, growth - 1]);
    yearly[y] *= growth;
  }
  return { years, cells, yearly: yearly.map((g) => g - 1) };
}

/** Mean of the finite values among the last `window` entries; NaN until `minCount` of them exist. */
export function rollingMean(x: Float64Array, window: number, minCount = Math.ceil(window / 2)): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let s = 0;
  let n = 0;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) {
      s += x[i];
      n++;
    }
    const old = i - window;
    if (old >= 0 && Number.isFinite(x[old])) {
      s -= x[old];
      n--;
    }
    if (n >= minCount) out[i] = s / n;
  }
  return out;
}

/** Annualised sample std (ddof 1) over a trailing window of `window` days; NaN until full. */
export function rollingAnnualVol(x: Float64Array, window: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let s = 0;
  let ss = 0;
  for (let i = 0; i < x.length; i++) {
    s += x[i];
    ss += x[i] * x[i];
    if (i >= window) {
      s -= x[i - window];
      ss -= x[i - window] * x[i - window];
    }
    if (i >= window - 1) {
      const m = s / window;
      out[i] = Math.sqrt((Math.max(0, ss - window * m * m) / (window - 1)) * TRADING_DAYS);
    }
  }
  return out;
}
