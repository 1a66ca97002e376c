/**
 * Errors of @alphafeed/risk. Bad input (lengths, ids, non-finite values where
 * a number is required) raises core's `InputError` with the offending value;
 * out-of-range options raise `RangeError`; calling the model out of order is a
 * programmer error raised as `RiskModelStateError`. None is retriable.
 */
import { AlphafeedError } from '@alphafeed/core';

/** The model was asked for something its state cannot give (a date out of order, no date closed yet). */
export class RiskModelStateError extends AlphafeedError {
  constructor(message: string) {
    super('RISK_MODEL_STATE', message);
  }
}
