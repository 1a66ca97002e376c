/**
 * Scenario: the run-level figures of SPEC §12 on the hand-made delisting case
 * (decisions on d0 and d4, a write-off on d7): turnover per rebalance leaves
 * out the first build and counts the write-off, turnover and costs a year
 * scale by 252 / n, and the bias statistic is std(z) with
 * z_d = (R_gross_d - B_d) / sigma_{d-1}.
 */
import { runBacktest } from './backtest.engine';
import { summarizeBacktest } from './backtest-summary';
import { stdDev } from './performance-metrics';
import { threeNameMarket, scriptedTargets } from './testing/hand-market';

const market = threeNameMarket();
const sigma = [0.01, 0.02, 0.01, 0.03, 0.01, 0.02, 0.01, 0.02];
const result = runBacktest(
  market,
  {
    mode: 'long_short',
    rebalanceEvery: 4,
    start: 0,
    rules: { cost: 5e-4, stampDuty: [], priceLimits: null },
  },
  {
    decide: scriptedTargets({ 0: [0.3, -0.3, 0], 4: [0, -0.3, 0.2] }),
    exAnteVol: (d) => sigma[d],
  },
);
const s = summarizeBacktest(result);
const d = result.daily;

test('turnover: the first build is left out, the d4 rebalance and the d7 write-off count', () => {
  // Daily one-sided turnover: d1 0.3 (first build), d5 the rebalance fill, d7 the write-off.
  expect(d.turnover[0]).toBeCloseTo(0.3, 15);
  const later = d.turnover[4] + d.turnover[6];
  expect(later).toBeGreaterThan(0.2);
  expect(s.rebalances).toBe(2);
  expect(s.first_build_date).toBe('2024-03-01');
  expect(s.turnover_per_rebalance).toBeCloseTo(later / 1, 14);
  expect(s.turnover_per_year).toBeCloseTo((later / 7) * 252, 12);
});

test('costs a year include the first build', () => {
  const paid = d.cost.reduce((a, b) => a + b, 0);
  expect(paid).toBeGreaterThan(0.0003);
  expect(s.cost_bps_per_year).toBeCloseTo((paid / 7) * 252 * 1e4, 9);
});

test('with and without costs', () => {
  expect(s.gross.total_return).toBeGreaterThan(s.net.total_return);
  expect(s.trades.write_off).toBe(1);
  expect(s.trades.no_bar).toBe(1);
});

test('bias statistic: std of the gross active return over the previous day ex-ante vol', () => {
  // Daily rows are d1..d7; z for d2..d7 uses sigma of d1..d6.
  const z = [1, 2, 3, 4, 5, 6].map((k) => d.gross[k] / sigma[k]);
  expect(s.bias_days).toBe(6);
  expect(s.bias_statistic).toBeCloseTo(stdDev(z), 14);
  expect(s.ex_ante_vol_annual).toBeCloseTo(
    ((0.02 + 0.01 + 0.03 + 0.01 + 0.02 + 0.01) / 6) * Math.sqrt(252),
    14,
  );
});
