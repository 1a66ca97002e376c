import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import * as path from 'node:path';

/**
 * Shared by test/global-setup.ts and test/global-teardown.ts: the real Kafka
 * and QuestDB servers for the e2e run, started through the deploy scripts on
 * free ports with their own run directory, so a run never collides with
 * someone's `npm run infra:up` on the default ports.
 */

export const ROOT = path.resolve(__dirname, '../..');

/** Port names as the deploy scripts read them. */
export const PORT_VARS = [
  'ALPHAFEED_KAFKA_PORT',
  'ALPHAFEED_KAFKA_CONTROLLER_PORT',
  'ALPHAFEED_QUESTDB_HTTP_PORT',
  'ALPHAFEED_QUESTDB_PG_PORT',
  'ALPHAFEED_QUESTDB_ILP_PORT',
  'ALPHAFEED_QUESTDB_MIN_HTTP_PORT',
] as const;

/** Distinct ports the OS says are free now (all held open until every one is chosen). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => {
    const a = s.address();
    if (a === null || typeof a === 'string') throw new Error('could not read a free port');
    return a.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

export function runScript(script: string, env: NodeJS.ProcessEnv): void {
  const res = spawnSync('bash', [path.join(ROOT, 'deploy/local', script)], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
  if (res.status !== 0) {
    throw new Error(
      `deploy/local/${script} failed (exit ${res.status ?? res.signal}); see the messages above and the logs in ${env.ALPHAFEED_INFRA_RUN_DIR}`,
    );
  }
}
