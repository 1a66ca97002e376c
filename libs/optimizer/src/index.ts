export type {
  PortfolioMode,
  OptimizerOptions,
  TradeCosts,
  CostModel,
  PortfolioProblem,
  Relaxation,
  OptimizeStatus,
  OptimizeResult,
  SolverReport,
} from './optimizer.types';
export {
  DEFAULT_OPTIMIZER_OPTIONS,
  DEFAULT_US_COSTS,
  DEFAULT_CN_COSTS,
  resolveOptimizerOptions,
} from './optimizer.options';
export { costRates, validateCostModel } from './costs';
export { SolverUnavailableError } from './errors';
