/**
 * Polling with a deadline for the e2e specs: re-checks a condition every few
 * milliseconds and fails with `what` and the last observed state if the
 * deadline passes. (The servers work asynchronously; a fixed sleep would be
 * either flaky or slow.)
 */
export async function until<T>(
  what: string,
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  for (;;) {
    last = await probe();
    if (done(last)) return last;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(last, (_k, v) => (v instanceof Map ? [...v] : v))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A name no other test (or earlier run) uses: topics, groups, regions. */
export function unique(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

export function env(name: 'ALPHAFEED_KAFKA_BROKERS' | 'ALPHAFEED_QUESTDB_URL'): string {
  const v = process.env[name];
  if (v === undefined)
    throw new Error(
      `${name} is not set; run the e2e specs with 'npm run test:e2e' (test/global-setup.ts sets it)`,
    );
  return v;
}
