export { AlphafeedError, InputError } from './errors';
export { parseIsoDay, formatIsoDay } from './dates';
export { Rng, DEFAULT_SEED } from './random';
export { dateOffsets, selectPanelRows } from './panel';
export type { BarPanel, FeatureFrame, LabelFrame, DenseMatrix } from './panel';
export type { MemberOracle } from './membership';
export { Progress } from './progress';
export type { ProgressOptions } from './progress';
