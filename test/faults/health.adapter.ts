/**
 * Readiness and liveness of a service process over HTTP, behind one small
 * adapter so the suite follows the health endpoints as they change: the split
 * `/health/ready` + `/health/live` (issue 10 §4) when the service has them,
 * else the single `/health` (`ok` = ready). `null`: no answer (process down).
 */
export interface HealthProbe {
  readonly ready: boolean | null;
  readonly live: boolean | null;
  /** The readiness body as the service sent it (reasons), for messages. */
  readonly body: unknown;
}

async function get(url: string): Promise<{ status: number; body: unknown } | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the text
    }
    return { status: res.status, body };
  } catch {
    return null;
  }
}

export async function probeHealth(port: number): Promise<HealthProbe> {
  const base = `http://127.0.0.1:${port}`;
  const ready = await get(`${base}/health/ready`);
  if (ready !== null && ready.status !== 404) {
    const live = await get(`${base}/health/live`);
    return {
      ready: ready.status === 200,
      live: live === null ? null : live.status === 200,
      body: ready.body,
    };
  }
  const legacy = await get(`${base}/health`);
  if (legacy === null) return { ready: null, live: null, body: null };
  const ok = (legacy.body as { ok?: unknown } | null)?.ok === true && legacy.status === 200;
  return { ready: ok, live: legacy.status === 200 || legacy.status === 503, body: legacy.body };
}
