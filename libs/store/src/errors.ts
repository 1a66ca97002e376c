import { AlphafeedError } from '@alphafeed/core';

/**
 * Failures of a store adapter. Server and network trouble is retriable;
 * using the store wrongly (unknown table or column, bad identifier, a
 * non-integer in a long column) is not.
 */
export class StoreError extends AlphafeedError {
  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(code, message, options);
  }
}
