import { FeatureEngine } from './feature.engine';
import { RAW_COLUMN_NAMES } from './feature-names';

/**
 * Every raw feature on a tiny series whose answer is worked out by hand in
 * the test (SPEC §2). `last(...)` feeds one instrument's bars, one date each,
 * and returns the raw row of its last bar.
 */
interface Series {
  closes: number[];
  volumes?: number[];
  amounts?: number[];
  sharesOut?: number;
}

function last(series: Series): Record<string, number> {
  const hasSharesOut = series.sharesOut !== undefined;
  const hasAmount = series.amounts !== undefined;
  const engine = new FeatureEngine({ hasSharesOut, hasAmount, features: ['rev_1m'] });
  series.closes.forEach((close, t) => {
    engine.closeDate(t, {
      length: 1,
      instrument: Int32Array.of(0),
      industry: Int32Array.of(0),
      close: Float64Array.of(close),
      volume: Float64Array.of(series.volumes?.[t] ?? 100),
      amount: hasAmount ? Float64Array.of(series.amounts![t]) : null,
      sharesOut: hasSharesOut ? Float64Array.of(series.sharesOut!) : null,
    });
  });
  const row = new Float64Array(RAW_COLUMN_NAMES.length);
  engine.copyRawRow(0, row);
  return Object.fromEntries(RAW_COLUMN_NAMES.map((name, c) => [name, row[c]]));
}

const flat = (n: number, value = 10): number[] => new Array<number>(n).fill(value);

describe('raw features, hand-computed', () => {
  it('rev_1m = close[t] / close[t-21] - 1, NaN with 21 bars', () => {
    expect(last({ closes: [...flat(21), 12] }).rev_1m).toBeCloseTo(0.2, 15);
    expect(last({ closes: flat(21) }).rev_1m).toBeNaN();
  });

  it('mom_12_1 = close[t-21] / close[t-252] - 1 over 253 bars, NaN with 252', () => {
    const closes = flat(253, 12);
    closes[0] = 10;
    closes[231] = 15;
    expect(last({ closes }).mom_12_1).toBeCloseTo(0.5, 15);
    expect(last({ closes: closes.slice(1) }).mom_12_1).toBeNaN();
  });

  it('ma_gap_n = close / SMA_n - 1: a jump after flat closes puts the SMA at 11', () => {
    expect(last({ closes: [...flat(19), 30] }).ma_gap_20).toBeCloseTo(30 / 11 - 1, 14);
    expect(last({ closes: [...flat(49), 60] }).ma_gap_50).toBeCloseTo(60 / 11 - 1, 14);
    expect(last({ closes: [...flat(199), 210] }).ma_gap_200).toBeCloseTo(210 / 11 - 1, 14);
    expect(last({ closes: flat(199) }).ma_gap_200).toBeNaN();
  });

  it('rsi_14 = 100 G / (G + L) over 14 returns; 50 when all are zero; NaN with 13 returns', () => {
    // Returns: +0.2, twelve zeros, -0.1 -> 100 * 0.2 / 0.3.
    const closes = [10, ...flat(13, 12), 10.8];
    expect(last({ closes }).rsi_14).toBeCloseTo(200 / 3, 12);
    // The +0.2 leaves the window one bar later: only the loss remains.
    expect(last({ closes: [...closes, 10.8] }).rsi_14).toBe(0);
    expect(last({ closes: flat(15) }).rsi_14).toBe(50);
    expect(last({ closes: flat(14) }).rsi_14).toBeNaN();
  });

  it('vol_n = sample std (ddof 1) of n returns * sqrt(252): alternating +10% / -1/11', () => {
    const zigzag = (n: number): number[] => Array.from({ length: n }, (_, t) => (t % 2 === 0 ? 100 : 110));
    const a = 0.1;
    const b = -1 / 11;
    // n/2 values at a, n/2 at b: every deviation is |a - b| / 2.
    const expected = (n: number): number => (Math.abs(a - b) / 2) * Math.sqrt(n / (n - 1)) * Math.sqrt(252);
    expect(last({ closes: zigzag(21) }).vol_20).toBeCloseTo(expected(20), 12);
    expect(last({ closes: zigzag(61) }).vol_60).toBeCloseTo(expected(60), 12);
    expect(last({ closes: zigzag(60) }).vol_60).toBeNaN();
    expect(last({ closes: flat(21) }).vol_20).toBe(0);
  });

  it('dd_252 = close / max of the last 252 closes - 1; an older peak does not count', () => {
    const closes = flat(252, 15);
    closes[100] = 20;
    expect(last({ closes }).dd_252).toBeCloseTo(-0.25, 15);
    // A peak of 40 inside the window counts; one bar later it has left it.
    expect(last({ closes: [40, ...closes.slice(1)] }).dd_252).toBeCloseTo(15 / 40 - 1, 15);
    expect(last({ closes: [40, ...closes] }).dd_252).toBeCloseTo(-0.25, 15);
    expect(last({ closes: closes.slice(1) }).dd_252).toBeNaN();
  });

  it('mdd_126 = worst drawdown inside the window, the running max restarting at the window start', () => {
    // 10 -> 20 -> 12 (-40%) -> 25 -> 20 (-20%), padded to 126 closes.
    const window = [10, 20, 12, 25, 20, ...flat(121, 20)];
    expect(last({ closes: window }).mdd_126).toBeCloseTo(-0.4, 15);
    // A peak of 100 that left the window 1 bar ago is ignored.
    expect(last({ closes: [100, ...window] }).mdd_126).toBeCloseTo(-0.4, 15);
    expect(last({ closes: window.slice(1) }).mdd_126).toBeNaN();
  });

  it('vlm_ratio_5_20 = mean(volume, 5) / mean(volume, 20); NaN when the 20-day mean is 0', () => {
    const volumes = [...flat(15, 100), ...flat(5, 200)];
    // 200 / ((5 * 200 + 15 * 100) / 20) = 200 / 125.
    expect(last({ closes: flat(20), volumes }).vlm_ratio_5_20).toBeCloseTo(1.6, 15);
    expect(last({ closes: flat(20), volumes: flat(20, 0) }).vlm_ratio_5_20).toBeNaN();
    // Volume only in the first 15 bars: the 5-day mean is exactly 0.
    expect(last({ closes: flat(20), volumes: [...flat(15, 100), ...flat(5, 0)] }).vlm_ratio_5_20).toBe(0);
  });

  it('amihud_20 = 1e6 * mean(|r| / dv) over the last 20 bars with dv > 0; NaN if none', () => {
    // Returns alternate +10% and -1/11; the down bars trade nothing (amount 0) and do not count.
    const closes = Array.from({ length: 21 }, (_, t) => (t % 2 === 0 ? 100 : 110));
    const amounts = closes.map((c) => (c === 110 ? 2e6 : 0));
    expect(last({ closes, amounts }).amihud_20).toBeCloseTo((1e6 * 0.1) / 2e6, 15);
    expect(last({ closes, amounts: flat(21, 0) }).amihud_20).toBeNaN();
    // Without amount, dv = close * volume.
    expect(last({ closes: [...flat(20, 10), 11], volumes: flat(21, 1000) }).amihud_20).toBeCloseTo(
      (1e6 * (0.1 / 11000)) / 20,
      12,
    );
  });

  it('turnover_20 = mean(volume / shares_out, 20), only with shares_out', () => {
    expect(
      last({ closes: flat(20), volumes: [...flat(10, 500), ...flat(10, 1500)], sharesOut: 1e5 }).turnover_20,
    ).toBeCloseTo(0.01, 15);
    expect(last({ closes: flat(20) }).turnover_20).toBeNaN();
  });

  it('size = log(close * shares_out), else log(mean(dv, 20))', () => {
    expect(last({ closes: [10], sharesOut: 1e5 }).size).toBeCloseTo(Math.log(1e6), 14);
    expect(last({ closes: flat(20), amounts: [...flat(10, 1e6), ...flat(10, 3e6)] }).size).toBeCloseTo(
      Math.log(2e6),
      14,
    );
    expect(last({ closes: flat(19), amounts: flat(19, 1e6) }).size).toBeNaN();
  });

  it('beta_252 = cov / var of returns on the universe mean (itself included), from 126 pairs', () => {
    // Two instruments, r_B = 3 r_A: the universe mean is 2 r_A, so beta_A = 1/2 and beta_B = 3/2.
    const engine = new FeatureEngine({ features: ['rev_1m'] });
    const close = [10, 10];
    const rows = new Float64Array(RAW_COLUMN_NAMES.length);
    const beta = RAW_COLUMN_NAMES.indexOf('beta_252');
    for (let t = 0; t <= 126; t++) {
      if (t > 0) {
        const rA = 0.01 * Math.sin(t);
        close[0] *= 1 + rA;
        close[1] *= 1 + 3 * rA;
      }
      engine.closeDate(t, {
        length: 2,
        instrument: Int32Array.of(0, 1),
        industry: Int32Array.of(0, 0),
        close: Float64Array.from(close),
        volume: Float64Array.of(100, 100),
      });
      engine.copyRawRow(0, rows);
      if (t === 125) expect(rows[beta]).toBeNaN();
    }
    engine.copyRawRow(0, rows);
    expect(rows[beta]).toBeCloseTo(0.5, 9);
    engine.copyRawRow(1, rows);
    expect(rows[beta]).toBeCloseTo(1.5, 9);
  });
});
