/**
 * Streaming services as their own OS processes, the way a user runs them
 * (`node dist/services/cli/src/main.js serve --only <name> --config …`):
 * spawn with the output to a log file, poll `/health`, sample the resident
 * memory from `/proc/<pid>/status`, stop with SIGTERM. Linux only (procfs).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface HealthBody {
  readonly ok: boolean;
  readonly components: Record<string, Record<string, unknown> & { readonly ok: boolean }>;
}

export interface SpawnServiceOptions {
  readonly root: string;
  readonly name: string;
  readonly configPath: string;
  /** Health port of the service (`serve --only <name> --port <port>`). */
  readonly port: number;
  readonly logDir: string;
  /** Extra environment (secrets' *_FILE variables, fault points), over this process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Log file name (default `<name>.log`), e.g. to keep a standby's log apart. */
  readonly logName?: string;
}

/** Resident memory of one process over a run, in kB (NaN until sampled). */
export interface MemoryTrack {
  startKb: number;
  peakSampledKb: number;
  lastKb: number;
  /** VmHWM: the kernel's own peak RSS, read before the process is stopped. */
  hwmKb: number;
  cpuS: number;
  samples: number;
}

export class ServiceProcess {
  readonly memory: MemoryTrack = {
    startKb: NaN,
    peakSampledKb: NaN,
    lastKb: NaN,
    hwmKb: NaN,
    cpuS: NaN,
    samples: 0,
  };
  readonly logPath: string;
  readonly healthUrl: string;
  private readonly child: ChildProcess;
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;

  constructor(readonly options: SpawnServiceOptions) {
    this.logPath = join(options.logDir, options.logName ?? `${options.name}.log`);
    this.healthUrl = `http://127.0.0.1:${options.port}/health`;
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    // The config file alone names the servers (withServerEnv would override it).
    delete env.ALPHAFEED_KAFKA_BROKERS;
    delete env.ALPHAFEED_QUESTDB_URL;
    const log = openSync(this.logPath, 'a');
    try {
      this.child = spawn(
        process.execPath,
        [
          join(options.root, 'dist', 'services', 'cli', 'src', 'main.js'),
          'serve',
          '--only',
          options.name,
          '--config',
          options.configPath,
          '--port',
          String(options.port),
        ],
        { cwd: options.root, env, stdio: ['ignore', log, log] },
      );
    } finally {
      closeSync(log);
    }
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      }),
    );
  }

  get name(): string {
    return this.options.name;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** How the process ended, for messages. */
  describeExit(): string {
    if (this.exit === null) return 'running';
    return this.exit.signal !== null ? `killed by ${this.exit.signal}` : `exit ${this.exit.code}`;
  }

  /** `/health` body, or null while the endpoint does not answer yet. A 503 (a component stopped) is returned as is. */
  async health(): Promise<HealthBody | null> {
    try {
      const res = await fetch(this.healthUrl, { signal: AbortSignal.timeout(2_000) });
      return (await res.json()) as HealthBody;
    } catch {
      return null;
    }
  }

  /** SIGKILL (a crash: no batch finished, nothing flushed or committed); resolves once the process is gone. */
  async kill(): Promise<void> {
    if (this.exit === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Resolves when the process has exited (by itself, e.g. at a fault point, or killed). */
  get whenExited(): Promise<void> {
    return this.exited;
  }

  /** One RSS sample (the first one is the start value). */
  sample(): void {
    const status = readStatus(this.pid);
    if (status === null) return;
    const rss = status.VmRSS ?? NaN;
    if (Number.isNaN(this.memory.startKb)) this.memory.startKb = rss;
    this.memory.lastKb = rss;
    this.memory.peakSampledKb = Number.isNaN(this.memory.peakSampledKb)
      ? rss
      : Math.max(this.memory.peakSampledKb, rss);
    this.memory.hwmKb = status.VmHWM ?? NaN;
    this.memory.cpuS = cpuSeconds(this.pid);
    this.memory.samples++;
  }

  /** SIGTERM (the service finishes its batch, flushes, commits), then SIGKILL after `graceMs`. */
  async stop(graceMs = 60_000): Promise<string> {
    if (this.exit !== null) return this.describeExit();
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      this.exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs))),
    ]);
    clearTimeout(timer);
    if (!timedOut) return this.describeExit();
    this.child.kill('SIGKILL');
    await this.exited;
    return `did not stop within ${graceMs} ms of SIGTERM; ${this.describeExit()}`;
  }

  /** Warning and error lines the service logged (runtime logger format `<iso> <level> [service] …`), the first few quoted. */
  logProblems(quote = 3): { count: number; first: string[] } {
    let lines: string[];
    try {
      lines = readFileSync(this.logPath, 'utf8').split('\n');
    } catch {
      return { count: 0, first: [] };
    }
    // The services log JSON lines (stderr is not a terminal here): {"level":"warn",...}.
    const problems = lines.filter((l) => /^\{"level":"(warn|error)"/.test(l));
    return { count: problems.length, first: problems.slice(0, quote) };
  }

  /** The last lines of the service's log, for failure messages. */
  logTail(lines = 20): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** The `kB` fields of `/proc/<pid>/status`, or null when the process is gone. */
function readStatus(pid: number): Record<string, number> | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (m !== null) out[m[1]] = Number(m[2]);
  }
  return out;
}

let ticksPerSecond = 0;
/** User + system CPU of `pid` from `/proc/<pid>/stat`, in seconds (NaN when gone). */
function cpuSeconds(pid: number): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return NaN;
  }
  if (ticksPerSecond === 0) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(r.stdout) > 0 ? Number(r.stdout) : 100;
  }
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
