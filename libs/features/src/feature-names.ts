/**
 * Names of the raw features (SPEC §2) and their fixed column positions in the
 * engine's per-instrument raw row. The model order matters to XGBoost's column
 * sampling, so it is the SPEC's order and nothing else.
 */
export const FEATURE_NAMES = [
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

export type FeatureName = (typeof FEATURE_NAMES)[number];

/**
 * Style exposures, kept raw (SPEC §2); `momentum` is `mom_12_1`. `vol_60` is
 * the raw `vol_60` the risk model (SPEC §10) adds to the SPEC §6 three.
 */
export const STYLE_NAMES = ['beta_252', 'size', 'momentum', 'vol_60'] as const;
export type StyleName = (typeof STYLE_NAMES)[number];

/** Column of each model feature in a raw row; beta and size follow the features. */
export const RAW_COLUMN: Readonly<Record<FeatureName, number>> = Object.freeze(
  Object.fromEntries(FEATURE_NAMES.map((name, j) => [name, j])) as Record<FeatureName, number>,
);
export const RAW_BETA_COLUMN = FEATURE_NAMES.length;
export const RAW_SIZE_COLUMN = FEATURE_NAMES.length + 1;
/** Width of a raw row: every feature, then `beta_252`, then `size`. */
export const RAW_WIDTH = FEATURE_NAMES.length + 2;
/** Names of the raw row's columns, in order (the golden `features_raw.csv` header minus keys). */
export const RAW_COLUMN_NAMES: readonly string[] = [...FEATURE_NAMES, 'beta_252', 'size'];

/** The SPEC's model features for an input: `turnover_20` only when it carries `shares_out`. */
export function modelFeatureNames(hasSharesOut: boolean): FeatureName[] {
  return hasSharesOut ? [...FEATURE_NAMES] : FEATURE_NAMES.filter((name) => name !== 'turnover_20');
}

export function isFeatureName(name: string): name is FeatureName {
  return (FEATURE_NAMES as readonly string[]).includes(name);
}
