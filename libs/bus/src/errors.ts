import { AlphafeedError } from '@alphafeed/core';

/**
 * Failures of a bus adapter. Broker and network trouble is retriable;
 * using the bus wrongly (unknown topic, publishing after close) is not.
 */
export class BusError extends AlphafeedError {
  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(code, message, options);
  }
}
