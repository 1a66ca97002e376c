/**
 * Helpers for specs of the streaming services: a small synthetic region
 * config, polling with a deadline, and reading the store back as frames.
 */
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { join } from 'node:path';

export function testConfig(patch: Record<string, unknown> = {}): RegionConfig {
  const base = loadConfig(join(__dirname, '..', '..', '..', '..', 'config', 'us.yaml'));
  return overrideConfig(base, patch, 'test');
}

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
