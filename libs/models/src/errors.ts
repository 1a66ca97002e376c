/**
 * Errors of @alphafeed/models. Bad data or options raise core's `InputError`
 * (never retriable); these two cover what is specific to models.
 */
import { AlphafeedError } from '@alphafeed/core';

/** `predict` (or importance, save) on a model that was never fitted: a programmer error. */
export class NotFittedError extends AlphafeedError {
  constructor(model: string) {
    super('MODEL_NOT_FITTED', `${model} is not fitted yet: call fit(X, y) (or fromJSON) before predict`);
  }
}

/**
 * A libxgboost C API call returned non-zero. `nativeMessage` is XGBoost's own
 * text from XGBGetLastError(), kept verbatim so that a bad parameter reads as
 * XGBoost words it. Not retriable: the same call fails the same way.
 */
export class XGBoostError extends AlphafeedError {
  readonly call: string;
  readonly nativeMessage: string;

  constructor(call: string, nativeMessage: string, options: { cause?: unknown } = {}) {
    super('XGBOOST', `${call} failed: ${nativeMessage}`, options);
    this.call = call;
    this.nativeMessage = nativeMessage;
  }
}
