/** Names and orders fixed by SPEC.md that a config is checked against. */

/**
 * Model features in SPEC §2 order, owned by the features lib (the order
 * matters: XGBoost samples columns by position, so a configured list must
 * keep it); the embargo floor is owned by the cv lib.
 */
export { FEATURE_NAMES as SPEC_FEATURE_NAMES } from '@alphafeed/features';
export type { FeatureName } from '@alphafeed/features';
export { MIN_EMBARGO_DAYS } from '@alphafeed/cv';

export const REGIONS = ['us', 'cn'] as const;
export type Region = (typeof REGIONS)[number];

export const MODEL_NAMES = ['ridge', 'xgboost'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
