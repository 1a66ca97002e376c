/**
 * Errors of the backtest lib. Bad input (a market panel that does not match,
 * a target weight vector of the wrong length or with a NaN, a start past the
 * end) is a `BacktestInputError`: an `InputError` of core, never retriable;
 * the CLI prints its one-line message and exits 2. An output directory that
 * cannot be written is a `BacktestOutputError`; nothing partial is left.
 */
import { AlphafeedError, InputError } from '@alphafeed/core';

export class BacktestInputError extends InputError {
  constructor(
    readonly reason: 'PANEL' | 'RANGE' | 'TARGET' | 'ALPHAS' | 'OPTIONS',
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

export class BacktestOutputError extends AlphafeedError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super('BACKTEST_OUTPUT', message, options);
  }
}
