import type { RegionConfig } from '@alphafeed/config';
import type { PortfolioStepper } from './portfolio-engine.port';

/** Builds the incremental portfolio engine of a region (industries: the service's dictionary, ids stable). */
export type PortfolioEngineFactory = (
  config: RegionConfig,
  industries: readonly string[],
) => PortfolioStepper;

export const PORTFOLIO_ENGINE_FACTORY = Symbol('PORTFOLIO_ENGINE_FACTORY');

/** `@alphafeed/portfolio`'s engine, configured from `config.portfolio` (SPEC §10–12). */
export const createPortfolioEngine: PortfolioEngineFactory = () => {
  throw new Error('@alphafeed/portfolio is not merged into this branch yet');
};
