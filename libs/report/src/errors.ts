/**
 * Errors of the report lib. Missing or unreadable inputs (no backtest run
 * yet, a file of another layout) are a `ReportInputError`: an `InputError`
 * of core, never retriable; the CLI prints the one line and exits 2. A
 * report that cannot be written is a `ReportOutputError`.
 */
import { AlphafeedError, InputError } from '@alphafeed/core';

export class ReportInputError extends InputError {}

export class ReportOutputError extends AlphafeedError {
  constructor(message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super('REPORT_OUTPUT', message, options);
  }
}
