import type { LoggerService } from '@nestjs/common';
import type { Logger } from '@alphafeed/ops';

/**
 * Nest's own messages (start-up, route errors) through the alphafeed logger,
 * so a service writes one log format. Nest's `log`/`verbose` chatter is
 * debug level; its context (the Nest class) becomes a `nest` field.
 */
export function nestLogger(logger: Logger): LoggerService {
  const text = (message: unknown): string =>
    message instanceof Error
      ? (message.stack ?? message.message)
      : typeof message === 'string'
        ? message
        : JSON.stringify(message);
  const context = (params: unknown[]): Record<string, unknown> => {
    const last = params[params.length - 1];
    return typeof last === 'string' ? { nest: last } : {};
  };
  return {
    log: (message: unknown, ...params: unknown[]) => logger.debug(text(message), context(params)),
    verbose: (message: unknown, ...params: unknown[]) => logger.debug(text(message), context(params)),
    debug: (message: unknown, ...params: unknown[]) => logger.debug(text(message), context(params)),
    warn: (message: unknown, ...params: unknown[]) => logger.warn(text(message), context(params)),
    error: (message: unknown, ...params: unknown[]) => {
      const fields = context(params);
      const trace = params.find((p, i) => i < params.length - 1 && typeof p === 'string');
      logger.error(text(message), trace === undefined ? fields : { ...fields, stack: trace });
    },
    fatal: (message: unknown, ...params: unknown[]) => logger.error(text(message), context(params)),
  };
}
