import { InputError } from '@alphafeed/core';

/**
 * A region config that cannot be used: unreadable file, bad YAML, or a value
 * the schema rejects. Raised once at start-up, before any work, with one
 * message naming the key path, the offending value and what is allowed.
 * Never retriable: the file has to be fixed.
 */
export class ConfigError extends InputError {
  override readonly code = 'CONFIG';
  /** The file (or label) the config came from, as given to the loader. */
  readonly source: string;
  /** Dotted key path of the offending value (`cv.embargo_days`), or '' for the whole file. */
  readonly keyPath: string;

  constructor(source: string, keyPath: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.source = source;
    this.keyPath = keyPath;
  }
}
