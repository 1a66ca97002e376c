import type { RiskModelOptions } from './risk.types';

/** SPEC §10 defaults (industries come from the input). */
export const DEFAULT_RISK_HALF_LIFE = 90;
export const DEFAULT_RISK_WINDOW = 252;
export const DEFAULT_MIN_RESIDUALS = 63;
export const DEFAULT_SPECIFIC_FLOOR_QUANTILE = 0.05;

/** Fills defaults and validates once, at the boundary. */
export function resolveRiskModelOptions(
  options: Partial<RiskModelOptions> & Pick<RiskModelOptions, 'industries'>,
): RiskModelOptions {
  const industries = options.industries;
  if (!Array.isArray(industries) || industries.length === 0) {
    throw new RangeError(
      "industries must list at least one industry name (the input's industries, in id order)",
    );
  }
  const halfLife = options.halfLife ?? DEFAULT_RISK_HALF_LIFE;
  if (!(halfLife > 0 && Number.isFinite(halfLife))) {
    throw new RangeError(
      `halfLife must be a positive number of dates, got ${halfLife}; the SPEC default is 90`,
    );
  }
  const window = options.window ?? DEFAULT_RISK_WINDOW;
  if (!(Number.isInteger(window) && window >= 1)) {
    throw new RangeError(`window must be an integer >= 1, got ${window}; the SPEC default is 252`);
  }
  const minResiduals = options.minResiduals ?? DEFAULT_MIN_RESIDUALS;
  if (!(Number.isInteger(minResiduals) && minResiduals >= 1 && minResiduals <= window)) {
    throw new RangeError(
      `minResiduals must be an integer in [1, window = ${window}], got ${minResiduals}; the SPEC default is 63`,
    );
  }
  const specificFloorQuantile = options.specificFloorQuantile ?? DEFAULT_SPECIFIC_FLOOR_QUANTILE;
  if (!(specificFloorQuantile >= 0 && specificFloorQuantile <= 1)) {
    throw new RangeError(
      `specificFloorQuantile must be in [0, 1], got ${specificFloorQuantile}; the SPEC default is 0.05`,
    );
  }
  const winsorize = options.winsorize ?? { lower: 0.01, upper: 0.99 };
  if (!(winsorize.lower >= 0 && winsorize.upper <= 1 && winsorize.lower <= winsorize.upper)) {
    throw new RangeError(
      `winsorize must satisfy 0 <= lower <= upper <= 1, got ${winsorize.lower} / ${winsorize.upper}; the SPEC uses 0.01 / 0.99`,
    );
  }
  return { industries: [...industries], halfLife, window, minResiduals, specificFloorQuantile, winsorize };
}
