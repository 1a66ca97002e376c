import type { DependencyMonitor } from '@alphafeed/streaming';

/** What a component reports on `/health`. */
export interface HealthReport {
  /** False when the component stopped for good (failed consumer): the process is not live. */
  readonly ok: boolean;
  /** False while the component cannot do its work yet or now (resuming, no model loaded); default true. */
  readonly ready?: boolean;
  /** Why it is not ready, for the readiness answer. */
  readonly reason?: string;
  readonly [detail: string]: unknown;
}

export interface HealthAnswer {
  /** Every component is alive (none stopped for good). */
  readonly live: boolean;
  /** Live, every component ready, every dependency (bus, store) answering. */
  readonly ready: boolean;
  /** Why not ready. */
  readonly reasons: string[];
  /** Same as `live` (the `/health` answer before liveness and readiness were split). */
  readonly ok: boolean;
  readonly uptime_ms: number;
  readonly components: Record<string, HealthReport>;
  readonly dependencies: Record<string, unknown>;
}

/**
 * Components register a probe; the health endpoints call every probe per
 * request. Probes must be cheap (read counters, no I/O); the dependencies'
 * state comes from the DependencyMonitor's background checks.
 */
export class HealthRegistry {
  private readonly probes = new Map<string, () => HealthReport>();
  private readonly started = Date.now();
  private monitor: DependencyMonitor | null = null;

  register(name: string, probe: () => HealthReport): void {
    this.probes.set(name, probe);
  }

  watch(monitor: DependencyMonitor): void {
    this.monitor = monitor;
  }

  report(): HealthAnswer {
    const components: Record<string, HealthReport> = {};
    let live = true;
    const reasons: string[] = [];
    for (const [name, probe] of this.probes) {
      let r: HealthReport;
      try {
        r = probe();
      } catch (error) {
        r = { ok: false, error: String(error) };
      }
      components[name] = r;
      live &&= r.ok;
      if (!r.ok) reasons.push(`${name}: ${String(r.error ?? r.reason ?? 'stopped')}`);
      else if (r.ready === false) reasons.push(`${name}: ${r.reason ?? 'not ready'}`);
    }
    if (this.monitor !== null) reasons.push(...this.monitor.reasons());
    return {
      live,
      ready: live && reasons.length === 0,
      reasons,
      ok: live,
      uptime_ms: Date.now() - this.started,
      components,
      dependencies: this.monitor?.snapshot() ?? {},
    };
  }
}
