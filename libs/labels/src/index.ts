export { LabelEngine, LABEL_LOOK_BACK } from './label.engine';
export type { LabelBars, LabelRelease, LabelStep } from './label.engine';
export { computeLabelFrame } from './label-frame.batch';
export { resolveLabelOptions, DEFAULT_HORIZONS } from './label.options';
export type { LabelOptions } from './label.options';
