/**
 * The engine's options from a validated region config: mode, rebalance
 * interval and trading rules from `portfolio:`, the write-off after the
 * carry-forward limit `features.ffill_limit` (SPEC §12 ties the two; a limit
 * of 0, no carry-forward, still waits one date without a bar).
 */
import type { RegionConfig } from '@alphafeed/config';
import type { BacktestOptions } from './backtest.engine';
import { tradingRulesFromConfig } from './trading-rules';

export function backtestOptionsFromConfig(
  config: RegionConfig,
  range: { readonly start: number; readonly end?: number },
  extra: Pick<BacktestOptions, 'warmUpFrom' | 'onProgress'> = {},
): BacktestOptions {
  return {
    mode: config.portfolio.mode,
    rebalanceEvery: config.portfolio.rebalance_every,
    start: range.start,
    end: range.end,
    rules: tradingRulesFromConfig(config.portfolio),
    writeOffAfter: Math.max(1, config.features.ffill_limit),
    ...extra,
  };
}
