/**
 * Scenario: the CN fill rule (Qlib's limit_threshold, SPEC §12) on single
 * fills: the margin, the ChiNext change of 2020-08-24, STAR always at ±20 %,
 * a first bar after a gap always fills, and no limits at all in the US.
 */
import { runBacktest, TRADE_STATUSES } from './backtest.engine';
import { handMarket, scriptedTargets } from './testing/hand-market';
import { tradingRulesFromConfig, type TradingRules } from './trading-rules';
import { parseConfig } from '@alphafeed/config';

const CN = tradingRulesFromConfig(parseConfig({ region: 'cn' }, 'cn').portfolio);
const US = tradingRulesFromConfig(parseConfig({ region: 'us' }, 'us').portfolio);

/** Status of a buy (+0.1) or sell (from +0.1 to 0) of `code` filled on `fillDate` with return `r`. */
function statusOf(
  rules: TradingRules,
  code: string,
  fillDate: string,
  r: number,
  side: 'buy' | 'sell',
  gapBefore = false,
): string {
  // d0 builds (sell case) or does nothing; d1 decides; d2 fills with return r.
  const calendar = ['2000-01-03', '2000-01-04', fillDate];
  const market = handMarket(calendar, [code], [[NaN, gapBefore ? null : 0, r]]);
  const targets: Record<number, number[]> = side === 'buy' ? { 1: [0.1] } : { 0: [0.1], 1: [0] };
  const res = runBacktest(
    market,
    { mode: 'long_short', rebalanceEvery: 1, start: 0, rules },
    { decide: scriptedTargets(targets) },
  );
  const k = res.trades.length - 1;
  return res.trades.fillDate[k] === 2 ? TRADE_STATUSES[res.trades.status[k]] : 'no trade on the fill date';
}

describe('CN price limits', () => {
  test('main board: blocked from limit - 0.005 on, both sides', () => {
    expect(statusOf(CN, 'SH600000', '2021-06-01', 0.0949, 'buy')).toBe('filled');
    expect(statusOf(CN, 'SH600000', '2021-06-01', 0.0951, 'buy')).toBe('limit_up');
    expect(statusOf(CN, 'SH600000', '2021-06-01', 0.1, 'buy')).toBe('limit_up');
    expect(statusOf(CN, 'SH600000', '2021-06-01', -0.0949, 'sell')).toBe('filled');
    expect(statusOf(CN, 'SH600000', '2021-06-01', -0.0951, 'sell')).toBe('limit_down');
    // A buy on a limit-down day and a sell on a limit-up day fill.
    expect(statusOf(CN, 'SH600000', '2021-06-01', -0.1, 'buy')).toBe('filled');
    expect(statusOf(CN, 'SH600000', '2021-06-01', 0.1, 'sell')).toBe('filled');
  });

  test('ChiNext (SZ300) moves to ±20 % on 2020-08-24; STAR (SH688) is ±20 % throughout', () => {
    expect(statusOf(CN, 'SZ300750', '2020-08-21', 0.15, 'buy')).toBe('limit_up');
    expect(statusOf(CN, 'SZ300750', '2020-08-24', 0.15, 'buy')).toBe('filled');
    expect(statusOf(CN, 'SZ300750', '2020-08-24', 0.196, 'buy')).toBe('limit_up');
    expect(statusOf(CN, 'SH688001', '2019-08-01', 0.15, 'buy')).toBe('filled');
    expect(statusOf(CN, 'SH688001', '2019-08-01', -0.196, 'sell')).toBe('limit_down');
    // SZ301 / SZ002 are main-board limits whatever the date.
    expect(statusOf(CN, 'SZ002001', '2022-01-04', 0.15, 'buy')).toBe('limit_up');
  });

  test('a first bar after a gap always fills, whatever its return', () => {
    expect(statusOf(CN, 'SH600000', '2021-06-01', 0.3, 'buy', true)).toBe('filled');
  });

  test('US: no price limits', () => {
    expect(statusOf(US, 'AAPL', '2021-06-01', 0.5, 'buy')).toBe('filled');
    expect(statusOf(US, 'AAPL', '2021-06-01', -0.5, 'sell')).toBe('filled');
  });
});
