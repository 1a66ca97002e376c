import type { Logger, ServiceMetrics } from '@alphafeed/ops';
import { Backoff } from '@alphafeed/ops';

/** A dependency of a service (the bus, the store) and how to ask whether it answers. */
export interface Dependency {
  readonly name: string;
  readonly ping: () => Promise<void>;
}

export interface DependencyState {
  /** null until the first answer or failure. */
  readonly up: boolean | null;
  /** When the state last changed (ms since the epoch). */
  readonly since: number;
  /** Why it is down. */
  readonly error?: string;
}

export interface DependencyMonitorOptions {
  readonly logger: Logger;
  readonly metrics?: ServiceMetrics;
  /** Between checks of a dependency that answers (default 5000 ms). */
  readonly intervalMs?: number;
  /** Backoff between checks of a dependency that does not: from 500 ms, doubling, capped here (default 15000 ms). */
  readonly maxBackoffMs?: number;
  /** A ping that has not answered by then has failed (default 5000 ms). */
  readonly timeoutMs?: number;
  /**
   * Failed pings in a row before the dependency counts as down (default 2):
   * one slow answer on a loaded machine is not an outage.
   */
  readonly failuresBeforeDown?: number;
}

/**
 * Watches the bus and the store of a service so that readiness tells the
 * truth: each dependency is pinged every `intervalMs` while it answers, and
 * with a capped backoff while it does not; it counts as down after
 * `failuresBeforeDown` failed pings in a row. A dependency going away is one
 * warning (with the reason), coming back one info line (with how long it was
 * gone); `alphafeed_dependency_up` follows it. Checks run in the background
 * (the health endpoint reads the last state, never waits on a ping).
 */
export class DependencyMonitor {
  private readonly states = new Map<string, DependencyState>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly backoffs = new Map<string, Backoff>();
  private readonly failures = new Map<string, number>();
  private stopped = true;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly dependencies: readonly Dependency[],
    private readonly options: DependencyMonitorOptions,
  ) {
    for (const d of dependencies) this.states.set(d.name, { up: null, since: Date.now() });
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
  }

  /** Checks every dependency now, then keeps checking in the background until `stop`. */
  async start(): Promise<void> {
    this.stopped = false;
    await Promise.all(this.dependencies.map((d) => this.check(d)));
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }

  /** Every dependency answered at its last check. */
  get ready(): boolean {
    for (const s of this.states.values()) if (s.up !== true) return false;
    return true;
  }

  /** Why the service is not ready (empty when it is). */
  reasons(): string[] {
    const out: string[] = [];
    for (const [name, s] of this.states)
      if (s.up === null) out.push(`${name}: not checked yet`);
      else if (!s.up) out.push(`${name} does not answer: ${s.error ?? 'unknown'}`);
    return out;
  }

  snapshot(): Record<string, DependencyState> {
    return Object.fromEntries(this.states);
  }

  private async check(dependency: Dependency): Promise<void> {
    const { name } = dependency;
    let error: string | undefined;
    try {
      await withTimeout(dependency.ping(), this.options.timeoutMs ?? 5000, name);
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    if (this.stopped) return;
    const failures = error === undefined ? 0 : (this.failures.get(name) ?? 0) + 1;
    this.failures.set(name, failures);
    const limit = this.options.failuresBeforeDown ?? 2;
    // Down after `limit` failures in a row; a first check that fails counts at once (nothing was up yet).
    const before = (this.states.get(name) as DependencyState).up;
    if (error === undefined || failures >= limit || before !== true) this.record(name, error);
    const up = error === undefined;
    let delay: number;
    if (up) {
      this.backoffs.delete(name);
      delay = this.options.intervalMs ?? 5000;
    } else {
      let backoff = this.backoffs.get(name);
      if (backoff === undefined)
        this.backoffs.set(
          name,
          (backoff = new Backoff({ initialMs: Math.min(500, this.maxBackoffMs), maxMs: this.maxBackoffMs })),
        );
      delay = backoff.delay();
    }
    const timer = setTimeout(() => void this.check(dependency), delay);
    timer.unref();
    this.timers.set(name, timer);
  }

  private record(name: string, error: string | undefined): void {
    const before = this.states.get(name) as DependencyState;
    const up = error === undefined;
    const { logger, metrics } = this.options;
    metrics?.dependencyUp.set({ dependency: name }, up ? 1 : 0);
    if (before.up === up) {
      if (!up) this.states.set(name, { ...before, error });
      return;
    }
    const now = Date.now();
    this.states.set(name, { up, since: now, error });
    if (!up) logger.warn(`${name} does not answer: ${error}; not ready until it does`, { dependency: name });
    else if (before.up === false)
      logger.info(`${name} answers again after ${Math.round((now - before.since) / 1000)} s`, {
        dependency: name,
      });
  }
}

function withTimeout(work: Promise<void>, ms: number, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
