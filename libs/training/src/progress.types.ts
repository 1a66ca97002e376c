/**
 * What a training run reports while it works. The lib never draws: the CLI
 * turns these events into progress bars and log lines, a test ignores them.
 */
export interface TrainProgressEvent {
  readonly stage: 'cv' | 'final';
  /** `21d`, `63d`. */
  readonly horizon: string;
  /** Short model name as in files and scores. */
  readonly model: 'ridge' | 'xgb';
  /** The fold just fitted and predicted, or `final` for the model on all samples. */
  readonly fold: number | 'final';
  /** Fits done and total for this (horizon, model): CV splits + 1 final. */
  readonly done: number;
  readonly total: number;
  /** Wall time of this fit + predict, ms. */
  readonly ms: number;
}

/** Log sink; lines are plain text, the caller adds time stamps and run context. */
export interface TrainLogger {
  info(message: string): void;
  warn?(message: string): void;
}

export interface TrainOptions {
  readonly onProgress?: (event: TrainProgressEvent) => void;
  readonly logger?: TrainLogger;
  /** XGBoost threads; overrides `models.xgboost.nthread` (0 = all cores). */
  readonly nthread?: number;
}
