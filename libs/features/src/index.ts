export { FeatureEngine } from './feature.engine';
export type { DateBars, FeatureRows } from './feature.engine';
export { computeFeatureFrame, computeRawFeatures, forEachDate } from './feature-frame.batch';
export { defaultFeatureWorkers } from './feature-frame.parallel';
export type { BatchFeatureOptions, RawFeatureFrame } from './feature-frame.batch';
export { resolveFeatureOptions, DEFAULT_MIN_INDUSTRY_SIZE, DEFAULT_WINSORIZE } from './feature.options';
export type { FeatureOptions, WinsorizeOptions } from './feature.options';
export {
  FEATURE_NAMES,
  STYLE_NAMES,
  RAW_COLUMN_NAMES,
  modelFeatureNames,
  isFeatureName,
} from './feature-names';
export type { FeatureName, StyleName } from './feature-names';
export {
  FEATURE_LOOK_FORWARD,
  FEATURE_LOOK_BACK_BARS,
  MAX_LOOK_BACK_BARS,
  BETA_WINDOW_RETURNS,
  BETA_MIN_PAIRS,
} from './look-window';
export { CarryForward, carriedRowOffsets, DEFAULT_FFILL_LIMIT, validateFfillLimit } from './carry-forward';
export type { CarryRows } from './carry-forward';
export { linearPercentile, winsorizeInPlace } from './winsorize.kernel';
export { IndustryZScoreKernel } from './industry-zscore.kernel';
