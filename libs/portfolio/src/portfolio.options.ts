/**
 * The engine's options from a validated region config (`portfolio:` and the
 * carry-forward limit): one mapping, shared by the batch backtest and the
 * live service so both run the same numbers.
 */
import type { RegionConfig } from '@alphafeed/config';
import { tradingRulesFromConfig } from '@alphafeed/backtest';
import type { PortfolioEngineOptions } from './portfolio.engine';

export function portfolioEngineOptionsFromConfig(
  config: RegionConfig,
  dictionaries: { readonly industries: readonly string[]; readonly instruments: readonly string[] },
  extra: Pick<PortfolioEngineOptions, 'start' | 'solver' | 'recorder'> = {},
): PortfolioEngineOptions {
  const p = config.portfolio;
  return {
    mode: p.mode,
    rebalanceEvery: p.rebalance_every,
    rules: tradingRulesFromConfig(p),
    // SPEC §12 ties the write-off to the carry-forward limit; a limit of 0 still waits one date.
    writeOffAfter: Math.max(1, config.features.ffill_limit),
    optimizer: {
      lambda: p.lambda,
      gross: p.gross,
      maxWeight: p.max_weight,
      styleBound: p.style_bound,
      activeMax: p.active_max,
      industryBound: p.industry_bound,
      maxTurnover: p.max_turnover,
    },
    risk: {
      halfLife: p.risk.half_life,
      window: p.risk.window,
      minResiduals: p.risk.min_residuals,
      specificFloorQuantile: p.risk.specific_floor_quantile,
    },
    industries: dictionaries.industries,
    instruments: dictionaries.instruments,
    ...extra,
  };
}
