/**
 * Scenario: every §12 return metric on a hand-made ten-day series equals (a)
 * a direct computation written out here and (b) what empyrical 0.7.1 /
 * quantstats 0.0.86 print for the same series (the literals below come from
 * `python -c "import empyrical as ep; ep.annual_return(r)"` and so on, with
 * rf = 0 and 252 days). Where SPEC §12 departs from quantstats (hit rate over
 * all days; the information ratio annualised) the test says so.
 */
import {
  annualReturn,
  annualVolatility,
  calmarRatio,
  drawdownSeries,
  hitRate,
  maxDrawdown,
  returnMetrics,
  rollingSharpe,
  sharpeRatio,
  stdDev,
} from './performance-metrics';

const R = Float64Array.from([0.01, -0.02, 0.015, 0.0, -0.005, 0.03, -0.01, 0.007, -0.012, 0.004]);
const B = Float64Array.from([0.005, -0.01, 0.01, 0.002, -0.004, 0.01, -0.005, 0.003, -0.006, 0.001]);

describe('direct computations on the hand-made series', () => {
  // Wealth: 1.01, 0.9898, 1.004647, 1.004647, 0.999623765, 1.029612478, 1.019316353, 1.026451568,
  // 1.014134149, 1.018190686 -> total return 0.018190686.
  const wealth = [1.01, 1.01 * 0.98];
  for (const r of R.subarray(2)) wealth.push(wealth[wealth.length - 1] * (1 + r));

  test('annual return = prod(1 + R)^(252 / n) - 1', () => {
    expect(annualReturn(R)).toBeCloseTo(Math.pow(wealth[9], 252 / 10) - 1, 12);
  });

  test('annual vol and Sharpe use the ddof = 1 std', () => {
    const m = R.reduce((a, b) => a + b, 0) / 10; // 0.0019
    const sd = Math.sqrt(R.reduce((a, r) => a + (r - m) ** 2, 0) / 9);
    expect(m).toBeCloseTo(0.0019, 15);
    expect(annualVolatility(R)).toBeCloseTo(sd * Math.sqrt(252), 14);
    expect(sharpeRatio(R)).toBeCloseTo((m / sd) * Math.sqrt(252), 12);
  });

  test('max drawdown from the running peak, with W_0 = 1', () => {
    // Peak 1.01 after day 1, trough 0.9898 on day 2: -0.02. Later: peak 1.029612 (day 6), lowest after
    // it 1.014134 (day 9): -0.01503, smaller.
    expect(maxDrawdown(R)).toBeCloseTo(-0.02, 14);
    expect(calmarRatio(R)).toBeCloseTo(annualReturn(R) / 0.02, 10);
    // W_0 counts: a first-day loss is a drawdown from 1.
    expect(maxDrawdown(Float64Array.from([-0.03, 0.01, 0.02, -0.01]))).toBeCloseTo(-0.03, 14);
    expect([...drawdownSeries(Float64Array.from([-0.03, 0.05, -0.01]))]).toEqual([
      expect.closeTo(-0.03, 14),
      0,
      expect.closeTo(-0.01, 14),
    ]);
  });

  test('hit rate = days with R > 0 over all n days (a zero day is not a hit)', () => {
    expect(hitRate(R)).toBe(0.5); // 0.01, 0.015, 0.03, 0.007, 0.004
  });

  test('information ratio = Sharpe of R - B', () => {
    const A = R.map((r, i) => r - B[i]);
    expect(returnMetrics(R, B).information_ratio).toBeCloseTo(sharpeRatio(A), 14);
  });
});

describe('the same figures as empyrical / quantstats print', () => {
  test('annual return, vol, Sharpe, max drawdown, Calmar', () => {
    expect(annualReturn(R)).toBeCloseTo(0.5750480850671129, 12); // ep.annual_return
    expect(annualVolatility(R)).toBeCloseTo(0.23203706600455024, 14); // ep.annual_volatility
    expect(sharpeRatio(R)).toBeCloseTo(2.063463429547979, 12); // ep.sharpe_ratio = qs.stats.sharpe
    expect(maxDrawdown(R)).toBeCloseTo(-0.019999999999999962, 14); // ep.max_drawdown
    expect(calmarRatio(R)).toBeCloseTo(28.7524042533557, 9); // ep.calmar_ratio
    expect(maxDrawdown(Float64Array.from([-0.03, 0.01, 0.02, -0.01]))).toBeCloseTo(-0.03, 14); // ep and qs
    expect(calmarRatio(Float64Array.from([-0.03, 0.01, 0.02, -0.01]))).toBeCloseTo(-16.406620239917586, 9);
  });

  test('information ratio: empyrical excess_sharpe annualised (quantstats leaves it daily)', () => {
    expect(returnMetrics(R, B).information_ratio).toBeCloseTo(2.4782081798604256, 12);
    expect(returnMetrics(R, B).information_ratio / Math.sqrt(252)).toBeCloseTo(0.1561124414513503, 12); // qs
  });

  test('hit rate: quantstats win_rate leaves out zero days (5 / 9); SPEC counts all days (5 / 10)', () => {
    expect(hitRate(R)).toBe(0.5);
    expect(hitRate(R.filter((r) => r !== 0))).toBeCloseTo(0.5555555555555556, 15); // qs.stats.win_rate
  });
});

describe('degenerate series give NaN, never a silent 0', () => {
  test.each([
    ['no days', new Float64Array(0)],
    ['one day', Float64Array.from([0.01])],
    ['constant days', Float64Array.from([0.001, 0.001, 0.001])],
  ])('%s', (_name, r) => {
    expect(sharpeRatio(r)).toBeNaN();
    if (r.length < 2) expect(annualVolatility(r)).toBeNaN();
  });
  test('no drawdown: Calmar is NaN', () => {
    expect(maxDrawdown(Float64Array.from([0.01, 0.02]))).toBe(0);
    expect(calmarRatio(Float64Array.from([0.01, 0.02]))).toBeNaN();
  });
});

describe('rolling Sharpe (running sums) equals its naive twin (Sharpe of each window)', () => {
  test('63-day window on a seeded random series', () => {
    let s = 7;
    const rand = (): number => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 0.04;
    const r = Float64Array.from({ length: 400 }, rand);
    const fast = rollingSharpe(r, 63);
    for (let i = 0; i < r.length; i++) {
      if (i < 62) expect(fast[i]).toBeNaN();
      else expect(fast[i]).toBeCloseTo(sharpeRatio(r.subarray(i - 62, i + 1)), 9);
    }
    expect(stdDev(r)).toBeGreaterThan(0);
  });
});
