/**
 * Errors of the point-in-time alphas lib. Bad input (options, too little
 * history, a malformed external alpha table) is an `InputError` from core:
 * never retriable, the CLI prints its one-line message and exits 2. A leak
 * found by the point-in-time audit is a programmer error, not bad input: it
 * means the code let a model see what it could not have seen, so nothing is
 * written and the run stops.
 */
import { AlphafeedError, InputError } from '@alphafeed/core';

/** Bad input; `code` is core's `INPUT`, `reason` a stable sub-code for tests and logs. */
export class PitInputError extends InputError {
  constructor(
    readonly reason:
      | 'OPTIONS'
      | 'TOO_LITTLE_HISTORY'
      | 'FRAME_MISMATCH'
      | 'TRAINING'
      | 'ALPHA_SOURCE'
      | 'ALPHA_COLUMNS'
      | 'ALPHA_EMPTY'
      | 'ALPHA_VALUE'
      | 'ALPHA_DATE'
      | 'ALPHA_INSTRUMENT'
      | 'ALPHA_DUPLICATE',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** The audit found an alpha that a model could not have published at its date. */
export class PitLeakError extends AlphafeedError {
  constructor(readonly violations: readonly string[]) {
    super(
      'PIT_LEAK',
      `point-in-time audit failed (${violations.length} violation${violations.length === 1 ? '' : 's'}): ` +
        `${violations[0]}; nothing was written. This is a bug in the code, not in the data.`,
    );
  }
}

/** The output or the cache could not be written or read back. */
export class PitArtifactError extends AlphafeedError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super('PIT_ARTIFACT', message, options);
  }
}
