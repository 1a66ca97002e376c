/**
 * Console output of the CLI: human lines on stderr (so stdout stays clean for
 * data such as `tail`), each prefixed with a timestamp and the run context
 * (region, config_hash, git sha, seed) that makes a log line reproducible.
 */
import { execFileSync } from 'node:child_process';

export interface RunContext {
  readonly region: string;
  readonly configHash: string;
  readonly gitSha: string;
  readonly seed: number;
}

let cachedSha: string | undefined;

/** The checkout's commit, or `unknown` outside a git work tree (e.g. an installed package). */
export function gitSha(): string {
  if (cachedSha === undefined) {
    try {
      cachedSha = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
    } catch {
      cachedSha = 'unknown';
    }
  }
  return cachedSha;
}

export class Log {
  constructor(private readonly context?: RunContext) {}

  info(message: string): void {
    this.write('info', message);
  }

  warn(message: string): void {
    this.write('warn', message);
  }

  /** The context line every run starts with. */
  start(command: string): void {
    const c = this.context;
    if (c) {
      this.info(
        `${command}: region=${c.region} config_hash=${c.configHash.slice(0, 12)} git=${c.gitSha} seed=${c.seed}`,
      );
    } else {
      this.info(command);
    }
  }

  private write(level: string, message: string): void {
    process.stderr.write(`${new Date().toISOString()} ${level.padEnd(4)} ${message}\n`);
  }
}
