import { rmSync } from 'node:fs';
import { runScript } from './infra/servers';

/** Stops the servers global-setup started (never external ones) and deletes their run directory. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.ALPHAFEED_E2E_STARTED !== '1') return;
  runScript('infra-down.sh', process.env);
  const dir = process.env.ALPHAFEED_INFRA_RUN_DIR;
  if (dir !== undefined && dir.includes('.infra')) rmSync(dir, { recursive: true, force: true });
  delete process.env.ALPHAFEED_E2E_STARTED;
}
