/**
 * One log line format for every service: ISO time, level, service, message,
 * optional JSON fields. On stderr, so `alphafeed tail` keeps stdout for data.
 */
export interface RuntimeLogger {
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function consoleRuntimeLogger(service: string, level: LogLevel = 'info'): RuntimeLogger {
  const write = (lvl: LogLevel, message: string, fields?: Readonly<Record<string, unknown>>): void => {
    if (RANK[lvl] < RANK[level]) return;
    const extra = fields === undefined ? '' : ` ${JSON.stringify(fields)}`;
    process.stderr.write(`${new Date().toISOString()} ${lvl.padEnd(5)} [${service}] ${message}${extra}\n`);
  };
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  };
}
