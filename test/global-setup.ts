import * as path from 'node:path';
import { freePorts, PORT_VARS, ROOT, runScript } from './infra/servers';
import { dashClusterId } from './infra/secured-infra';

/**
 * Starts real Kafka and QuestDB for the e2e specs and exports where they are:
 * ALPHAFEED_KAFKA_BROKERS and ALPHAFEED_QUESTDB_URL. With
 * ALPHAFEED_E2E_EXTERNAL=1 the servers are expected to be running already
 * (e.g. `npm run infra:up`, or a CI service) at those two variables, or at the
 * local defaults when unset.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.ALPHAFEED_E2E_EXTERNAL === '1') {
    process.env.ALPHAFEED_KAFKA_BROKERS ??= '127.0.0.1:9092';
    process.env.ALPHAFEED_QUESTDB_URL ??= 'http://127.0.0.1:9000';
    return;
  }
  const ports = await freePorts(PORT_VARS.length);
  PORT_VARS.forEach((name, i) => (process.env[name] = String(ports[i])));
  process.env.ALPHAFEED_INFRA_RUN_DIR = path.join(ROOT, '.infra', `e2e-${process.pid}`);
  // A KRaft cluster id beginning with '-' on every run: the form that once made the start fail
  // about once in 64 (deploy/local/infra-servers.sh passes it as --cluster-id=<id>).
  process.env.ALPHAFEED_KAFKA_CLUSTER_ID ??= dashClusterId();
  const started = Date.now();
  runScript('infra-up.sh', process.env);
  process.stdout.write(
    `\ne2e: Kafka and QuestDB up in ${Date.now() - started} ms (run dir ${process.env.ALPHAFEED_INFRA_RUN_DIR})\n`,
  );
  process.env.ALPHAFEED_E2E_STARTED = '1';
  process.env.ALPHAFEED_KAFKA_BROKERS = `127.0.0.1:${process.env.ALPHAFEED_KAFKA_PORT}`;
  process.env.ALPHAFEED_QUESTDB_URL = `http://127.0.0.1:${process.env.ALPHAFEED_QUESTDB_HTTP_PORT}`;
}
