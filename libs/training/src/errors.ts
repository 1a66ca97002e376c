/**
 * Errors of the training lib. Bad input (a frame, a config, a horizon that
 * does not fit the data) is an `InputError` from core: never retriable, the
 * CLI prints its one-line message and exits 2. Errors of the cv lib raised
 * while planning folds are wrapped so that the message names the horizon and
 * the original stays reachable as `cause`.
 */
import { AlphafeedError, InputError } from '@alphafeed/core';

/** Bad training input; `code` is core's `INPUT`, `reason` a stable sub-code for tests and logs. */
export class TrainingInputError extends InputError {
  constructor(
    readonly reason:
      | 'NO_MATURED_LABELS'
      | 'NON_FINITE_FEATURE'
      | 'HORIZON_TOO_LONG'
      | 'UNKNOWN_MODEL'
      | 'EMBARGO_TOO_SMALL'
      | 'FRAME_MISMATCH'
      | 'CONFIG'
      | 'CV',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** An artifact directory that cannot be written or read back. */
export class ArtifactError extends AlphafeedError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super('TRAINING_ARTIFACT', message, options);
  }
}
