/**
 * Errors of @alphafeed/portfolio. Bad input of a date (an instrument id
 * outside the dictionary, dates out of order, a NaN alpha) is core's
 * `InputError` subclass `PortfolioInputError`, never retriable: the CLI
 * prints its one line and exits 2. Errors of the composed libs (risk,
 * optimizer, backtest) pass through unchanged.
 */
import { InputError } from '@alphafeed/core';

export class PortfolioInputError extends InputError {
  constructor(
    readonly reason: 'DATE' | 'INSTRUMENT' | 'ALPHAS' | 'OPTIONS',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}
