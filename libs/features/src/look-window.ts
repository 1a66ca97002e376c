/**
 * How far each feature looks back (in the instrument's own bars, the current
 * bar included) and forward (never). Qlib's extended-window idea: a consumer
 * can tell how much history to load and that nothing leaks from the future.
 */
import type { FeatureName } from './feature-names';

/** Features use bars dated <= t only. */
export const FEATURE_LOOK_FORWARD = 0;

/** Bars needed before a feature is defined (SPEC §2 table, "bars needed"). */
export const FEATURE_LOOK_BACK_BARS: Readonly<Record<FeatureName, number>> = Object.freeze({
  mom_12_1: 253,
  rev_1m: 22,
  ma_gap_20: 20,
  ma_gap_50: 50,
  ma_gap_200: 200,
  rsi_14: 15,
  vol_20: 21,
  vol_60: 61,
  dd_252: 252,
  mdd_126: 126,
  vlm_ratio_5_20: 20,
  amihud_20: 21,
  turnover_20: 20,
});

/** `beta_252` pairs the returns of the last 252 bars (253 bars of closes) with the market. */
export const BETA_WINDOW_RETURNS = 252;
/** Pairs needed before `beta_252` is defined. */
export const BETA_MIN_PAIRS = 126;

/** Longest look-back of any raw feature or exposure, in bars. */
export const MAX_LOOK_BACK_BARS = 253;
