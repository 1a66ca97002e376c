import { AlphafeedError } from '@alphafeed/core';

/**
 * Failures of a store adapter. I/O and server trouble is retriable; a bad
 * batch, an unknown table or a corrupt file is not.
 */
export class StoreError extends AlphafeedError {
  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(code, message, options);
  }
}
