/** What a component reports on `GET /health`. */
export interface HealthReport {
  /** False when the component stopped (failed consumer): the endpoint answers 503. */
  readonly ok: boolean;
  readonly [detail: string]: unknown;
}

/**
 * Components register a probe; the health endpoint calls every probe per
 * request. Probes must be cheap (read counters, no I/O).
 */
export class HealthRegistry {
  private readonly probes = new Map<string, () => HealthReport>();
  private readonly started = Date.now();

  register(name: string, probe: () => HealthReport): void {
    this.probes.set(name, probe);
  }

  report(): { ok: boolean; uptime_ms: number; components: Record<string, HealthReport> } {
    const components: Record<string, HealthReport> = {};
    let ok = true;
    for (const [name, probe] of this.probes) {
      let r: HealthReport;
      try {
        r = probe();
      } catch (error) {
        r = { ok: false, error: String(error) };
      }
      components[name] = r;
      ok &&= r.ok;
    }
    return { ok, uptime_ms: Date.now() - this.started, components };
  }
}
