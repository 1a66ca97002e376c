/**
 * Errors of @alphafeed/optimizer. Bad problems (NaN weights, mismatched
 * lengths, a benchmark missing in long_only) raise core's `InputError` with
 * the offending value; out-of-range options raise `RangeError`. A native
 * solver that cannot be loaded raises `SolverUnavailableError`. An infeasible
 * problem is not an error: the result keeps w0 and says why.
 */
import { AlphafeedError } from '@alphafeed/core';

export class SolverUnavailableError extends AlphafeedError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('SOLVER_UNAVAILABLE', message, options);
  }
}
