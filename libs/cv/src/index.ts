export {
  CvError,
  CvInputError,
  EmbargoTooSmallError,
  TooManySplitsError,
  HorizonTooLongError,
  FoldTooSmallError,
  EmbargoViolationError,
} from './errors';
export type { CvPlan, CvSplit, SplitReport, GroupReport, SplitterOptions } from './split.types';
export { MIN_EMBARGO_DAYS, DEFAULT_EMBARGO_DAYS, DEFAULT_MIN_FOLD_SAMPLES } from './sample-dates';
export { walkForwardSplits, DEFAULT_N_SPLITS } from './walk-forward.splitter';
export type { WalkForwardOptions } from './walk-forward.splitter';
export {
  cpcvSplits,
  arraySplitSizes,
  combinations,
  binomial,
  DEFAULT_N_GROUPS,
  DEFAULT_N_TEST_GROUPS,
} from './cpcv.splitter';
export type { CpcvOptions } from './cpcv.splitter';
export { assertEmbargo } from './embargo.check';
export type { EmbargoCheckOptions, RowSplit } from './embargo.check';
export { assembleOof } from './oof';
export type { OofResult, OofSplit } from './oof';
export { scoreFold, scoreOof, scoreRecords, scoreSplit } from './scores';
export type { FoldScores, ScoreRecord } from './scores';
export { pearsonSlice, averageRanksSlice } from './correlation.kernel';
export { horizonSplitsReport } from './split-report';
export type { HorizonSplitsReport } from './split-report';
