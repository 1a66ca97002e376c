/**
 * The cache's code version: a SHA-256 of the code that decides the numbers
 * of a point-in-time run (the libs from frames to alphas, as loaded: the
 * built `.js` under dist/, or the `.ts` sources under jest), without the
 * pit-alphas files that only read, write or report, so editing those does
 * not retrain. The bench and the CLI pass it as `codeVersion`, so both find
 * each other's cached segments. Cost: one read of ~1 MB of code.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const NUMBER_LIBS = ['core', 'features', 'labels', 'cv', 'models', 'training', 'pit-alphas'];
const NOT_NUMBERS =
  /^(alpha-csv\.parser|external-alphas\.reader|pit-alphas\.writer|pit-progress|code-version|index|errors)\.(js|ts)$/;

export function pitCodeVersion(): string {
  // This file sits in <libs root>/pit-alphas/src; the other libs are its siblings.
  const libsRoot = join(__dirname, '..', '..');
  const h = createHash('sha256');
  for (const lib of NUMBER_LIBS) {
    const dir = join(libsRoot, lib, 'src');
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!/\.(js|ts)$/.test(name) || name.endsWith('.spec.ts') || name.endsWith('.d.ts')) continue;
      if (!statSync(join(dir, name)).isFile()) continue;
      if (lib === 'pit-alphas' && NOT_NUMBERS.test(name)) continue;
      h.update(name).update(readFileSync(join(dir, name)));
    }
  }
  return h.digest('hex').slice(0, 16);
}
