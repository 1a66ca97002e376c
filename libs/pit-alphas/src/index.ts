export { PitInputError, PitLeakError, PitArtifactError } from './errors';
export {
  retrainSchedule,
  resolveScheduleOptions,
  DEFAULT_RETRAIN_EVERY,
  DEFAULT_MIN_TRAIN_DATES,
} from './retrain-schedule';
export type { RetrainSchedule, ScheduleOptions } from './retrain-schedule';
export { visibleAt, scoringFrame, labelledDates } from './visible-at';
export type { VisibleFrames, VisibilityRule } from './visible-at';
export { computePointInTimeAlphas, pointInTimeSchedule, pointInTimeSegment } from './point-in-time-alphas';
export type { PitInput, PitOptions, PitProgressEvent, PitRun, SegmentOptions } from './point-in-time-alphas';
export { pointInTimeViolations, trainingSeen } from './point-in-time.audit';
export type { PitTraining, PitTrainingHorizon } from './point-in-time.audit';
export { concatSegments, alphaColumn, varianceColumn } from './alpha-table';
export type { AlphaTable, AlphaSegment } from './alpha-table';
export { alphaTableParquet, writeAlphaTable, readAlphaTable } from './alpha-table.parquet';
export type { PanelKeys } from './table-keys';
export { segmentDigests } from './input.digest';
export { SEGMENT_CACHE_VERSION } from './segment.cache';
export { pitCodeVersion } from './code-version';
export { pitProgressBar } from './pit-progress';
export {
  writePitAlphas,
  pitManifest,
  PIT_ALPHAS_FILE,
  PIT_MANIFEST_FILE,
  PIT_MANIFEST_SCHEMA_VERSION,
} from './pit-alphas.writer';
export type { PitManifest, PitManifestModel, WrittenPitAlphas } from './pit-alphas.writer';
export { readExternalAlphas, DEFAULT_HORIZON_DAYS } from './external-alphas.reader';
export type { ExternalAlphaOptions } from './external-alphas.reader';
