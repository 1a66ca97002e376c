/**
 * Test support: the simplest decision rule that turns a dense alpha matrix
 * into targets, for specs that run before (or without) the optimizer.
 * long_short: +1/n on the top `fraction` of names with a bar and an alpha on
 * t, -1/n on the bottom (gross 2); long_only: equal weights on the top.
 */
import type { BacktestHooks, BacktestMode } from '../backtest.engine';
import type { MarketPanel } from '../market-panel';

export function rankDecider(
  alpha: Float64Array,
  market: MarketPanel,
  mode: BacktestMode,
  fraction = 0.2,
): BacktestHooks['decide'] {
  const N = market.instruments.length;
  return (t) => {
    const names: number[] = [];
    for (let i = 0; i < N; i++)
      if (market.bar[t * N + i] === 1 && Number.isFinite(alpha[t * N + i])) names.push(i);
    if (names.length < 2) return null;
    names.sort((a, b) => alpha[t * N + a] - alpha[t * N + b] || a - b);
    const k = Math.max(1, Math.floor(names.length * fraction));
    const w = new Float64Array(N);
    for (let j = 0; j < k; j++) w[names[names.length - 1 - j]] = 1 / k;
    if (mode === 'long_short') for (let j = 0; j < k; j++) w[names[j]] = -1 / k;
    return w;
  };
}
