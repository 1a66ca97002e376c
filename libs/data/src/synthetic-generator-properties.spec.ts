import type { BarPanel } from '@alphafeed/core';
import { cnPriceLimit, generateSyntheticBars } from './synthetic.generator';

/** Per instrument, its rows in date order (the panel is date-major). */
function rowsByInstrument(p: BarPanel): number[][] {
  const out: number[][] = p.instruments.map(() => []);
  for (let i = 0; i < p.length; i++) out[p.instrument[i]].push(i);
  return out;
}

/**
 * Mean over dates of the cross-sectional Pearson correlation between minus the
 * past `lookback`-bar log return at t and the log return over the next `ahead`
 * bars — the naive twin of the generator's planted reversal.
 */
function reversalIc(p: BarPanel, lookback: number, ahead: number): number {
  const byInst = rowsByInstrument(p);
  const xs: number[][] = p.calendar.map(() => []);
  const ys: number[][] = p.calendar.map(() => []);
  for (const rows of byInst) {
    for (let k = lookback; k + ahead < rows.length; k++) {
      const t = p.date[rows[k]];
      xs[t].push(-Math.log(p.close[rows[k]] / p.close[rows[k - lookback]]));
      ys[t].push(Math.log(p.close[rows[k + ahead]] / p.close[rows[k]]));
    }
  }
  let sum = 0;
  let n = 0;
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    const y = ys[t];
    if (x.length < 30) continue;
    const mx = x.reduce((a, b) => a + b, 0) / x.length;
    const my = y.reduce((a, b) => a + b, 0) / y.length;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let k = 0; k < x.length; k++) {
      sxy += (x[k] - mx) * (y[k] - my);
      sxx += (x[k] - mx) ** 2;
      syy += (y[k] - my) ** 2;
    }
    sum += sxy / Math.sqrt(sxx * syy);
    n++;
  }
  return sum / n;
}

describe('synthetic generator', () => {
  it('is deterministic: same options give identical arrays, another seed does not', () => {
    const a = generateSyntheticBars({ region: 'cn', instruments: 40, years: 1 });
    const b = generateSyntheticBars({ region: 'cn', instruments: 40, years: 1 });
    const c = generateSyntheticBars({ region: 'cn', instruments: 40, years: 1, seed: 7 });
    expect(b.length).toBe(a.length);
    expect(b.instruments).toEqual(a.instruments);
    for (const key of [
      'date',
      'instrument',
      'industry',
      'open',
      'high',
      'low',
      'close',
      'volume',
      'amount',
      'sharesOut',
    ] as const) {
      expect(Buffer.from(b[key]!.buffer).equals(Buffer.from(a[key]!.buffer))).toBe(true);
    }
    expect(Buffer.from(c.close.buffer).equals(Buffer.from(a.close.buffer))).toBe(false);
  });

  it('builds a sorted weekday panel with consistent bars, listings, delistings and 1–15 day suspensions (us)', () => {
    const p = generateSyntheticBars({ region: 'us', instruments: 120, years: 3 });
    expect(p.hasAmount).toBe(false);
    expect(p.amount).toBeNull();
    expect(p.sharesOut).not.toBeNull();
    expect(p.instruments.every((s) => /^[A-Z]{1,4}$/.test(s))).toBe(true);
    expect([...p.instruments].sort()).toEqual(p.instruments);
    const weekdays = new Set(p.calendar.map((d) => new Date(`${d}T00:00:00Z`).getUTCDay()));
    expect([...weekdays].sort()).toEqual([1, 2, 3, 4, 5]);
    for (let i = 0; i < p.length; i++) {
      if (
        i > 0 &&
        (p.date[i] < p.date[i - 1] || (p.date[i] === p.date[i - 1] && p.instrument[i] <= p.instrument[i - 1]))
      ) {
        throw new Error(`unsorted at ${i}`);
      }
      const ok =
        p.low[i] > 0 &&
        p.low[i] <= Math.min(p.open[i], p.close[i]) &&
        p.high[i] >= Math.max(p.open[i], p.close[i]) &&
        p.volume[i] > 0;
      if (!ok) throw new Error(`inconsistent bar at ${i}`);
    }
    const gaps: number[] = [];
    let listedLate = 0;
    let delisted = 0;
    for (const rows of rowsByInstrument(p)) {
      if (p.date[rows[0]] > 0) listedLate++;
      if (p.date[rows[rows.length - 1]] < p.calendar.length - 1) delisted++;
      for (let k = 1; k < rows.length; k++) {
        const gap = p.date[rows[k]] - p.date[rows[k - 1]] - 1;
        if (gap > 0) gaps.push(gap);
      }
    }
    expect(listedLate).toBeGreaterThan(10);
    expect(delisted).toBeGreaterThan(5);
    expect(gaps.length).toBeGreaterThan(10);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(15);
  });

  it('holds the cn daily price limits (±10 % main boards, ±20 % growth boards) and carries amount', () => {
    const p = generateSyntheticBars({ region: 'cn', instruments: 150, years: 2 });
    expect(p.hasAmount).toBe(true);
    expect(
      p.instruments.every((s) => /^(SH6[0-9]{5}|SZ00[0-9]{4}|SZ30[01][0-9]{3}|SH68[89][0-9]{3})$/.test(s)),
    ).toBe(true);
    expect(p.instruments.some((s) => cnPriceLimit(s) === 0.2)).toBe(true);
    let atLimit = 0;
    for (const rows of rowsByInstrument(p)) {
      const lim = cnPriceLimit(p.instruments[p.instrument[rows[0]]]);
      for (let k = 1; k < rows.length; k++) {
        const prev = p.close[rows[k - 1]];
        const r = rows[k];
        const tol = 1e-12 * prev;
        if (p.high[r] > prev * (1 + lim) + tol || p.low[r] < prev * (1 - lim) - tol)
          throw new Error(`limit broken at row ${r}`);
        if (Math.abs(p.close[r] / prev - 1) > lim - 1e-9) atLimit++;
        const a = p.amount![r];
        if (!(a >= p.volume[r] * p.low[r] && a <= p.volume[r] * p.high[r]))
          throw new Error(`amount off at row ${r}`);
      }
    }
    expect(atLimit).toBeGreaterThan(0); // fat tails do reach the limits
  });

  it('plants a short-term reversal of the given strength, and none by default', () => {
    const base = { region: 'us', instruments: 250, years: 3 } as const;
    const none = reversalIc(generateSyntheticBars(base), 21, 1);
    const planted = generateSyntheticBars({ ...base, signalStrength: 0.15 });
    expect(Math.abs(none)).toBeLessThan(0.015);
    expect(reversalIc(planted, 21, 1)).toBeGreaterThan(0.06);
    expect(reversalIc(planted, 21, 21)).toBeGreaterThan(0.1);
  });
});
