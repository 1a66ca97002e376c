/**
 * The one retry / backoff helper of alphafeed: exponential delays with jitter
 * and a cap, for retrying a failed call (`retry`) and for polling a condition
 * (`poll`). Programmer errors (TypeError, RangeError, ReferenceError,
 * SyntaxError) are never retried: another attempt cannot fix a bug, and
 * retrying hides it.
 */

export interface BackoffOptions {
  /** First delay (ms, default 10). */
  readonly initialMs?: number;
  /** Cap of one delay (ms, default 1000). */
  readonly maxMs?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /**
   * Jitter: each delay is drawn uniformly from [d x (1 - jitter), d]
   * (default 0.5), so clients that failed together do not retry together.
   */
  readonly jitter?: number;
  /** Uniform [0, 1) source (tests inject a fixed one); default Math.random. */
  readonly random?: () => number;
}

/** The delays of successive attempts: initial, x factor each time, capped, jittered. */
export class Backoff {
  private next: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(options: BackoffOptions = {}) {
    this.next = options.initialMs ?? 10;
    this.maxMs = options.maxMs ?? 1000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 0.5;
    this.random = options.random ?? Math.random;
    if (!(this.next >= 0) || !(this.maxMs >= this.next) || !(this.factor >= 1))
      throw new RangeError(
        `Backoff: need 0 <= initialMs <= maxMs and factor >= 1, got ${this.next}, ${this.maxMs}, ${this.factor}`,
      );
    if (!(this.jitter >= 0 && this.jitter <= 1))
      throw new RangeError(`Backoff: jitter must be within [0, 1], got ${this.jitter}`);
  }

  /** The next delay in ms. */
  delay(): number {
    const d = this.next;
    this.next = Math.min(this.maxMs, this.next * this.factor);
    return d * (1 - this.jitter * this.random());
  }
}

export interface RetryOptions extends BackoffOptions {
  /** Most attempts in all (default Infinity). */
  readonly attempts?: number;
  /** No attempt starts later than this many ms after the first (default Infinity). */
  readonly deadlineMs?: number;
  /**
   * Whether a failure is worth another attempt (default: an error carrying
   * `retriable: true`, as every alphafeed error says). Programmer errors are
   * never retried, whatever this answers.
   */
  readonly retriable?: (error: unknown) => boolean;
  /** Called before each wait (a warning, a metric). */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Stops waiting; the last error is thrown. */
  readonly signal?: AbortSignal;
  /** Sleep function (tests); default setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** True for errors that describe a bug, not a condition: never retried. */
export function isProgrammerError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof ReferenceError ||
    error instanceof SyntaxError
  );
}

const retriableFlag = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;

/**
 * Runs `operation` until it resolves, a failure is not retriable, the
 * attempts are used up or the deadline passed; then throws the last error.
 * `attempt` counts from 1.
 */
export async function retry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? Infinity;
  const deadline = Date.now() + (options.deadlineMs ?? Infinity);
  const retriable = options.retriable ?? retriableFlag;
  const sleep = options.sleep ?? sleepMs;
  const backoff = new Backoff(options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (isProgrammerError(error) || !retriable(error) || attempt >= attempts) throw error;
      const delay = backoff.delay();
      if (Date.now() + delay > deadline || options.signal?.aborted === true) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay);
    }
  }
}

export interface PollOptions extends BackoffOptions {
  /** Give up after this many ms (default Infinity); the error names `what` and the last value. */
  readonly timeoutMs?: number;
  /** What is awaited, for the timeout message. */
  readonly what?: string;
  /** Stops polling with an error. */
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Thrown by `poll` when its condition did not hold in time. Retriable: the condition may still come true. */
export class PollTimeoutError extends Error {
  readonly code = 'POLL_TIMEOUT';
  readonly retriable = true;
}

/**
 * Calls `probe` until `done(value)` holds, waiting with the backoff between
 * calls (no jitter unless asked: a poll of one's own server needs none);
 * returns the value that satisfied it. Errors of `probe` propagate.
 */
export async function poll<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  options: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  const sleep = options.sleep ?? sleepMs;
  const backoff = new Backoff({ jitter: 0, ...options });
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (options.signal?.aborted === true)
      throw new PollTimeoutError(`stopped while waiting for ${options.what ?? 'a condition'}`);
    if (Date.now() > deadline)
      throw new PollTimeoutError(
        `timed out after ${options.timeoutMs} ms waiting for ${options.what ?? 'a condition'}`,
      );
    await sleep(backoff.delay());
  }
}
