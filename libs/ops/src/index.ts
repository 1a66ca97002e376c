export { createLogger, memoryLogger, silentLogger } from './logger';
export type { Logger, LoggerOptions, LogFields, LogLevel } from './logger';
export { registerSecret, scrubSecrets, clearSecrets } from './secrets';
export { gitSha } from './git-sha';
export { Backoff, retry, poll, isProgrammerError, PollTimeoutError } from './retry';
export type { BackoffOptions, RetryOptions, PollOptions } from './retry';
export { ServiceMetrics } from './metrics';
export type { PartitionLag } from './metrics';
export { faultPoint } from './fault-point';
