import { InputError } from '@alphafeed/core';
import type { MemberOracle } from '@alphafeed/core';
import { DEFAULT_FFILL_LIMIT, validateFfillLimit } from './carry-forward';
import { FEATURE_NAMES, isFeatureName, modelFeatureNames } from './feature-names';
import type { FeatureName } from './feature-names';

export interface WinsorizeOptions {
  /** Lower percentile as a fraction (SPEC: 0.01). */
  readonly lower: number;
  /** Upper percentile as a fraction (SPEC: 0.99). */
  readonly upper: number;
}

export interface FeatureOptions {
  /** Model features, in output column order (default: the SPEC order for the input). */
  readonly features: readonly FeatureName[];
  /** Industries smaller than this on a date are z-scored against the whole cross-section. */
  readonly minIndustrySize: number;
  /** Calendar positions a row is carried after its last bar. */
  readonly ffillLimit: number;
  readonly winsorize: WinsorizeOptions;
  /** The input carries `shares_out` (decided per input, SPEC §2). */
  readonly hasSharesOut: boolean;
  /** The input carries `amount` (dollar volume from it, SPEC §1). */
  readonly hasAmount: boolean;
  /**
   * Index membership (SPEC §1): who forms each date's cross-section (rows,
   * preprocessing, the market mean of beta_252). Every bar still feeds its
   * instrument's own history. null: everyone is a member on every date.
   */
  readonly membership: MemberOracle | null;
}

export const DEFAULT_MIN_INDUSTRY_SIZE = 5;
export const DEFAULT_WINSORIZE: WinsorizeOptions = Object.freeze({ lower: 0.01, upper: 0.99 });

/** Fills defaults and validates once, at the boundary (cross-field checks included). */
export function resolveFeatureOptions(options: Partial<FeatureOptions> = {}): FeatureOptions {
  const hasSharesOut = options.hasSharesOut ?? false;
  const hasAmount = options.hasAmount ?? false;
  const features = options.features ?? modelFeatureNames(hasSharesOut);
  if (features.length === 0) throw new InputError('features is empty; list at least one model feature');
  const seen = new Set<string>();
  for (const name of features) {
    if (!isFeatureName(name)) {
      throw new InputError(`unknown feature "${String(name)}"; valid names are ${FEATURE_NAMES.join(', ')}`);
    }
    if (seen.has(name)) throw new InputError(`feature "${name}" is listed twice; list each feature once`);
    seen.add(name);
  }
  if (seen.has('turnover_20') && !hasSharesOut) {
    throw new InputError(
      'feature "turnover_20" needs a shares_out column, which this input lacks; drop it from features',
    );
  }
  const minIndustrySize = options.minIndustrySize ?? DEFAULT_MIN_INDUSTRY_SIZE;
  if (!Number.isInteger(minIndustrySize) || minIndustrySize < 1) {
    throw new RangeError(
      `minIndustrySize must be an integer >= 1, got ${minIndustrySize}; the SPEC default is 5`,
    );
  }
  const ffillLimit = options.ffillLimit ?? DEFAULT_FFILL_LIMIT;
  validateFfillLimit(ffillLimit);
  const winsorize = options.winsorize ?? DEFAULT_WINSORIZE;
  const { lower, upper } = winsorize;
  if (!(lower >= 0 && upper <= 1 && lower <= upper)) {
    throw new RangeError(
      `winsorize percentiles must satisfy 0 <= lower <= upper <= 1 (fractions), got lower=${lower}, upper=${upper}; the SPEC uses 0.01 and 0.99`,
    );
  }
  return {
    features: Object.freeze([...features]),
    minIndustrySize,
    ffillLimit,
    winsorize: Object.freeze({ lower, upper }),
    hasSharesOut,
    hasAmount,
    membership: options.membership ?? null,
  };
}
