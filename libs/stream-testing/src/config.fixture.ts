import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { join } from 'node:path';

/** The shipped US config with a patch applied (as a user's override would be). */
export function testConfig(patch: Record<string, unknown> = {}): RegionConfig {
  const base = loadConfig(join(__dirname, '..', '..', '..', 'config', 'us.yaml'));
  return overrideConfig(base, patch, 'test');
}

/** Polls `predicate` every 10 ms until it holds; fails after `timeoutMs` naming `what`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
