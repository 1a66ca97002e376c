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
export { buildQpForm } from './qp-form';
export type { QpForm, QpLayout, CscMatrix, ConstraintSet } from './qp-form';
export { kktResiduals, cscMultiply, cscTranspose } from './qp-solver';
export type { QpSolver, QpSolution, QpOutcome, KktResiduals } from './qp-solver';
export { createClarabelSolver, QP_LIBRARY_PATH } from './clarabel.native';
export { createHighsSolver } from './highs.solver';
export type { HighsQpMethod } from './highs.solver';
export { createOsqpSolver, osqpAvailable } from './osqp.native';
export { optimizeWeights, specObjective, validateProblem } from './optimize-weights';
export type { OptimizeContext } from './optimize-weights';
