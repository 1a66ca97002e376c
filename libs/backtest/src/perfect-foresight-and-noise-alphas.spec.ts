/**
 * Scenario: on a seeded synthetic market (with suspensions, listings and
 * delistings, and CN price limits in the long-only run), an alpha that knows
 * the returns of the coming holding period earns a very high Sharpe, and
 * pure-noise alphas earn a gross Sharpe indistinguishable from 0 (|t| < 3,
 * t = Sharpe * sqrt(years)) and lose their costs net. The decision rule is
 * the simplest one (top / bottom quintile, equal weights), not the
 * optimizer: the accounting is what is under test.
 */
import { generateSyntheticBars } from '@alphafeed/data';
import { parseConfig } from '@alphafeed/config';
import { Rng } from '@alphafeed/core';
import { runBacktest, type BacktestMode } from './backtest.engine';
import { summarizeBacktest } from './backtest-summary';
import { marketPanelFromBars, type MarketPanel } from './market-panel';
import { rankDecider } from './testing/rank-decider';
import { tradingRulesFromConfig } from './trading-rules';

const EVERY = 5;

/** Alpha on t = the return held from the close of t+1 (fill) to the close of t+1+EVERY. */
function foresight(m: MarketPanel): Float64Array {
  const D = m.calendar.length;
  const N = m.instruments.length;
  const a = new Float64Array(D * N).fill(NaN);
  for (let t = 0; t + 1 + EVERY < D; t++) {
    for (let i = 0; i < N; i++) {
      let growth = 1;
      for (let d = t + 2; d <= t + 1 + EVERY; d++) {
        const r = m.ret[d * N + i];
        if (m.bar[d * N + i] === 1 && r === r) growth *= 1 + r;
      }
      a[t * N + i] = growth - 1;
    }
  }
  return a;
}

function noise(m: MarketPanel, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: m.ret.length }, () => rng.normal());
}

const markets = new Map<string, MarketPanel>();
function marketOf(region: 'us' | 'cn'): MarketPanel {
  let m = markets.get(region);
  if (m === undefined) {
    m = marketPanelFromBars(generateSyntheticBars({ region, instruments: 150, years: 4, seed: 42 }));
    markets.set(region, m);
  }
  return m;
}

function run(region: 'us' | 'cn', mode: BacktestMode, alpha: (m: MarketPanel) => Float64Array) {
  const market = marketOf(region);
  const rules = tradingRulesFromConfig(parseConfig({ region }, region).portfolio);
  const result = runBacktest(
    market,
    { mode, rebalanceEvery: EVERY, start: 10, rules },
    { decide: rankDecider(alpha(market), market, mode) },
  );
  return { result, metrics: summarizeBacktest(result) };
}

describe('perfect foresight', () => {
  test('long-short US: a very high Sharpe net of 5 bps costs', () => {
    const { metrics } = run('us', 'long_short', foresight);
    expect(metrics.gross.sharpe).toBeGreaterThan(10);
    expect(metrics.net.sharpe).toBeGreaterThan(10);
    expect(metrics.net.annual_return).toBeLessThan(metrics.gross.annual_return);
    expect(metrics.cost_bps_per_year).toBeGreaterThan(0);
  });

  test('long-only CN (price limits, stamp duty): a very high information ratio against the benchmark', () => {
    const { result, metrics } = run('cn', 'long_only', foresight);
    expect(metrics.net.information_ratio).toBeGreaterThan(5);
    // Foresight buys the names about to jump: some hit limit-up at the fill and stay unbought.
    expect(result.statusCounts.limit_up).toBeGreaterThan(0);
    expect(Math.min(...result.daily.netExposure)).toBeGreaterThan(-1e-7);
    expect(Math.max(...result.daily.netExposure)).toBeLessThan(1 + 1e-7);
  });
});

describe('pure noise', () => {
  test.each([1, 2, 3])('seed %i: gross Sharpe within 3 standard errors of 0, net below gross', (seed) => {
    const { metrics } = run('us', 'long_short', (m) => noise(m, seed));
    const t = metrics.gross.sharpe * Math.sqrt(metrics.years);
    expect(Math.abs(t)).toBeLessThan(3);
    expect(metrics.net.sharpe).toBeLessThan(metrics.gross.sharpe);
    expect(metrics.turnover_per_rebalance).toBeGreaterThan(0.5);
  });
});
