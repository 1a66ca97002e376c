import pino from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import { gitSha } from './git-sha';
import { redactPaths, scrubSecrets } from './secrets';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * The one logger of alphafeed (services, CLI, libs that log). A line is a
 * message plus fields; every line of a process also carries its context:
 * `service`, `region`, `config_hash`, `git_sha`, `model_id` (null until a
 * model is loaded), `pid`.
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines also carry `bindings` (a component, a consumer group). */
  child(bindings: LogFields): Logger;
  /** Adds or replaces context on this logger's lines from now on (e.g. `model_id` after a hot swap). */
  bind(bindings: LogFields): void;
  readonly level: LogLevel;
}

export interface LoggerOptions {
  /** `features`, `labels`, `trainer`, `scorer`, `cli`, ... */
  readonly service: string;
  readonly region?: string | null;
  readonly configHash?: string | null;
  /** Least severe level written (default info). */
  readonly level?: LogLevel;
  /**
   * `json`: one JSON object per line (for collectors); `pretty`: one coloured
   * human line (for a terminal). Default: env `ALPHAFEED_LOG_FORMAT`, else
   * pretty when the destination is a TTY, else JSON.
   */
  readonly format?: 'json' | 'pretty';
  /** Where lines go (default stderr, so stdout stays free for data such as `alphafeed tail`). */
  readonly destination?: { write(line: string): unknown };
}

/**
 * pino with alphafeed's context and rules: ISO timestamps, the level as a
 * word, secrets redacted by field name and scrubbed from messages
 * (secrets.ts), synchronous writes to stderr (a line logged just before
 * `process.exit` is not lost; services log a few lines per date, so the
 * synchronous write costs nothing measurable).
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const format =
    options.format ??
    (process.env.ALPHAFEED_LOG_FORMAT === 'json' || process.env.ALPHAFEED_LOG_FORMAT === 'pretty'
      ? process.env.ALPHAFEED_LOG_FORMAT
      : (destination as { isTTY?: boolean }).isTTY === true
        ? 'pretty'
        : 'json');
  const stream: DestinationStream =
    format === 'pretty'
      ? pretty({
          destination: destination === process.stderr ? 2 : (destination as NodeJS.WritableStream),
          sync: true,
          colorize: (destination as { isTTY?: boolean }).isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,service,region,config_hash,git_sha,model_id',
          messageFormat: '[{service}] {msg}',
        })
      : destination === process.stderr
        ? pino.destination({ fd: 2, sync: true })
        : (destination as DestinationStream);
  const root = pino(
    {
      level: options.level ?? 'info',
      base: {
        service: options.service,
        region: options.region ?? null,
        config_hash: options.configHash ?? null,
        git_sha: gitSha(),
        model_id: null,
        pid: process.pid,
      },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: 'msg',
      redact: { paths: [...redactPaths], censor: '[redacted]' },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubFields(object),
      },
      hooks: {
        logMethod(args, method) {
          if (typeof args[1] === 'string') args[1] = scrubSecrets(args[1]);
          return method.apply(this, args);
        },
      },
    },
    stream,
  );
  return wrap(root);
}

function wrap(p: PinoLogger): Logger {
  return {
    debug: (message, fields) => p.debug(fields ?? {}, message),
    info: (message, fields) => p.info(fields ?? {}, message),
    warn: (message, fields) => p.warn(fields ?? {}, message),
    error: (message, fields) => p.error(fields ?? {}, message),
    child: (bindings) => wrap(p.child(scrubFields(bindings))),
    bind: (bindings) => p.setBindings(scrubFields(bindings)),
    get level() {
      return p.level as LogLevel;
    },
  };
}

/** String values of the top-level fields with secrets scrubbed (errors as their message and stack). */
function scrubFields(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(object)) {
    let clean: unknown = value;
    if (typeof value === 'string') clean = scrubSecrets(value);
    else if (value instanceof Error) clean = scrubSecrets(value.stack ?? value.message);
    if (clean !== value) (out ??= { ...object })[key] = clean;
  }
  return out ?? object;
}

/** A logger that writes nothing (specs, benchmarks that print their own lines). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
  bind: () => undefined,
  level: 'error',
};

/** A JSON logger that keeps its lines parsed in memory, for specs that check what was logged. */
export function memoryLogger(
  options: Partial<LoggerOptions> = {},
): Logger & { readonly lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    service: 'test',
    level: 'debug',
    ...options,
    format: 'json',
    destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return Object.assign(logger, { lines });
}
