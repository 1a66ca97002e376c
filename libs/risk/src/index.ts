export { RiskModel } from './risk.model';
export { exAnteVariance } from './ex-ante';
export { STYLE_FACTORS } from './risk.types';
export type { StyleFactor, RiskModelOptions, RiskDateInput, RiskDateState, FactorRisk } from './risk.types';
export {
  resolveRiskModelOptions,
  DEFAULT_RISK_HALF_LIFE,
  DEFAULT_RISK_WINDOW,
  DEFAULT_MIN_RESIDUALS,
  DEFAULT_SPECIFIC_FLOOR_QUANTILE,
} from './risk-model.options';
export { RiskModelStateError } from './errors';
