/**
 * The one error base of alphafeed. Every lib raises subclasses of it so that
 * callers can branch on a stable `code`, keep the `cause`, and know whether a
 * retry can help (I/O, broker, server) or not (bad input, programmer error).
 */
export class AlphafeedError extends Error {
  readonly code: string;
  readonly retriable: boolean;

  constructor(code: string, message: string, options: { cause?: unknown; retriable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
  }
}

/** Bad input from a user: a file, a config value, a CLI flag. Never retriable. */
export class InputError extends AlphafeedError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('INPUT', message, options);
  }
}
