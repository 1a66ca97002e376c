import type { RegionConfig } from '@alphafeed/config';
import { PortfolioEngine, portfolioEngineOptionsFromConfig } from '@alphafeed/portfolio';

/**
 * Builds the incremental portfolio engine of a region from the service's
 * dictionaries: `instruments` is the live dictionary itself (ids only grow;
 * the engine reads its length at each step), `industries` the exposure
 * columns, fixed for the engine's life.
 */
export type PortfolioEngineFactory = (
  config: RegionConfig,
  dictionaries: { readonly industries: readonly string[]; readonly instruments: readonly string[] },
) => PortfolioEngine;

export const PORTFOLIO_ENGINE_FACTORY = Symbol('PORTFOLIO_ENGINE_FACTORY');

/** `@alphafeed/portfolio`'s engine with the options the batch backtest derives from the same config. */
export const createPortfolioEngine: PortfolioEngineFactory = (config, dictionaries) =>
  new PortfolioEngine(portfolioEngineOptionsFromConfig(config, dictionaries));
