/** The portfolio service's public surface for a composition root (`alphafeed serve`, `demo`, specs, benches). */
export { PortfolioModule } from './portfolio.module';
export type { PortfolioModuleOptions } from './portfolio.module';
export { PortfolioBarsConsumer } from './bars.consumer';
export { PORTFOLIO_SERVICE } from './models.consumer';
export { TargetsPublisher } from './targets.publisher';
export type { TargetRows } from './targets.publisher';
export { ModelCatalog, horizonFromManifest } from './model-catalog';
export type { CatalogModel } from './model-catalog';
export { TARGET_WEIGHTS_TABLE, MODEL_HORIZONS_TABLE, STATUS_CODES } from './portfolio.tables';
export { StepInputAssembler } from './step-input.assembler';
export { PORTFOLIO_ENGINE_FACTORY, createPortfolioEngine } from './portfolio-engine.factory';
export type { PortfolioEngineFactory } from './portfolio-engine.factory';
