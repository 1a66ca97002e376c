/**
 * Names and orders fixed by SPEC.md. They live here, in the config lib, so a
 * config can be checked at start-up without loading the feature kernels.
 */

/**
 * Model features in SPEC §2 order. The order matters (XGBoost samples
 * columns by position), so a configured list must keep it.
 * `turnover_20` is last because it exists only for inputs with `shares_out`.
 */
export const SPEC_FEATURE_NAMES = [
  'mom_12_1',
  'rev_1m',
  'ma_gap_20',
  'ma_gap_50',
  'ma_gap_200',
  'rsi_14',
  'vol_20',
  'vol_60',
  'dd_252',
  'mdd_126',
  'vlm_ratio_5_20',
  'amihud_20',
  'turnover_20',
] as const;

export type FeatureName = (typeof SPEC_FEATURE_NAMES)[number];

export const REGIONS = ['us', 'cn'] as const;
export type Region = (typeof REGIONS)[number];

export const MODEL_NAMES = ['ridge', 'xgboost'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** SPEC §5: the embargo is non-negotiable; smaller values are rejected. */
export const MIN_EMBARGO_DAYS = 63;
