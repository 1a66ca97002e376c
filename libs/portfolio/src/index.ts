export { PortfolioEngine } from './portfolio.engine';
export type { PortfolioEngineOptions } from './portfolio.engine';
export type {
  DateAlphas,
  PortfolioDateInput,
  PortfolioDecision,
  PortfolioStep,
  SparseWeights,
} from './portfolio.types';
export { portfolioEngineOptionsFromConfig } from './portfolio.options';
export { portfolioDateInput, PanelStepInputs, barReturns } from './step-inputs';
export type { DateMemberRows, DateBarRows, AlphaColumns, StepInputSource } from './step-inputs';
export { runPortfolioBacktest } from './portfolio-backtest';
export type { PortfolioBacktest, PortfolioBacktestOptions, DecisionRecord } from './portfolio-backtest';
export { PortfolioInputError } from './errors';
