/**
 * Errors of the cross-validation lib. Every one is a configuration or data
 * problem that a retry cannot fix, so none is retriable; callers branch on the
 * stable `code`. Messages name the offending value and what to do about it.
 */
import { AlphafeedError } from '@alphafeed/core';

/** Base of every cv error. */
export class CvError extends AlphafeedError {
  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { cause: options.cause, retriable: false });
  }
}

/** Malformed arguments: unsorted or non-integer dates, mismatched lengths, NaN inputs. */
export class CvInputError extends CvError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('CV_INPUT', message, options);
  }
}

/** `embargo_days` below the SPEC §5 floor of 63 trading days (non-negotiable). */
export class EmbargoTooSmallError extends CvError {
  constructor(
    readonly embargoDays: number,
    readonly minimum: number,
  ) {
    super(
      'CV_EMBARGO_TOO_SMALL',
      `embargo_days = ${embargoDays} is below the minimum of ${minimum} trading days (SPEC §5); ` +
        `set cv.embargo_days to at least ${minimum}.`,
    );
  }
}

/** More splits (or groups) than there are unique sample dates to fill them. */
export class TooManySplitsError extends CvError {
  constructor(message: string) {
    super('CV_TOO_MANY_SPLITS', message);
  }
}

/** A horizon that does not fit the data (label windows span all sample dates). */
export class HorizonTooLongError extends CvError {
  constructor(
    readonly horizon: number,
    readonly spanDays: number,
  ) {
    super(
      'CV_HORIZON_TOO_LONG',
      `horizon ${horizon} trading days is not shorter than the span of the sample dates ` +
        `(${spanDays} trading days between the first and the last); every label window would ` +
        `overlap every test block. Use a shorter horizon or more history.`,
    );
  }
}

/** A fold with fewer than `min_fold_samples` train or test samples. */
export class FoldTooSmallError extends CvError {
  constructor(
    readonly foldId: number,
    readonly side: 'train' | 'test',
    readonly count: number,
    readonly minimum: number,
  ) {
    super(
      'CV_FOLD_TOO_SMALL',
      `fold ${foldId} has ${count} ${side} samples after purge and embargo, fewer than ` +
        `min_fold_samples = ${minimum}; use fewer splits, more history, or a smaller min_fold_samples.`,
    );
  }
}

/** Raised by `assertEmbargo` when a train/test pair breaks the embargo or the purge. */
export class EmbargoViolationError extends CvError {
  constructor(message: string) {
    super('CV_EMBARGO_VIOLATION', message);
  }
}
