/**
 * A set of real Kafka + QuestDB servers started through deploy/local/infra-up.sh
 * with every security option on: Kafka's client listener speaks SASL_SSL
 * (SCRAM-SHA-512 user created when the log dir is formatted, self-signed
 * certificate made here with keytool), QuestDB asks for HTTP basic auth.
 * Own run directory and free ports, so it runs beside the plain servers of
 * test/global-setup.ts. Used by test/infra/secured-servers.e2e.ts and the
 * fault suite (test/faults/), which also restarts the servers on their data.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePorts, PORT_VARS, ROOT, runScript } from './servers';
import { spawnSync } from 'node:child_process';

export interface SecuredInfra {
  readonly brokers: string[];
  readonly questdbUrl: string;
  readonly runDir: string;
  /** The environment of the scripts (ports, run dir, security) and of clients (ALPHAFEED_*_PASSWORD_FILE). */
  readonly env: NodeJS.ProcessEnv;
  readonly caFile: string;
  readonly kafkaUser: string;
  readonly questdbUser: string;
  /** The secret values, for tests that must prove they never appear in a log. */
  readonly secrets: { readonly kafka: string; readonly questdb: string; readonly admin: string };
  readonly files: {
    readonly kafkaPassword: string;
    readonly questdbPassword: string;
    readonly adminToken: string;
  };
  /** stop / start / restart one server on its existing data (`--kill`: SIGKILL). */
  server(action: 'stop' | 'start' | 'restart', name: 'kafka' | 'questdb', kill?: boolean): void;
  down(): void;
}

/** A random secret of URL-safe letters (SCRAM's --add-scram syntax forbids ',', ']' and '='). */
function randomSecret(prefix: string): string {
  return `${prefix}${randomBytes(18).toString('base64').replace(/[+/=]/g, 'x')}`;
}

/**
 * A KRaft cluster id that begins with '-' (the form that once broke `kafka-storage
 * format -t <id>`): 16 random bytes, URL-safe base64, first character forced.
 */
export function dashClusterId(): string {
  const id = randomBytes(16).toString('base64url').slice(0, 22);
  return `-${id.slice(1)}`;
}

export async function startSecuredInfra(
  options: { readonly clusterId?: string; readonly label?: string } = {},
): Promise<SecuredInfra> {
  const secretsDir = mkdtempSync(path.join(tmpdir(), 'alphafeed-secured-'));
  const certDir = path.join(secretsDir, 'tls');
  const made = spawnSync('bash', [path.join(ROOT, 'deploy/local/make-test-cert.sh'), certDir], {
    encoding: 'utf8',
  });
  if (made.status !== 0) throw new Error(`make-test-cert.sh failed: ${made.stderr}`);
  const secrets = { kafka: randomSecret('kP'), questdb: randomSecret('qP'), admin: randomSecret('aT') };
  const files = {
    kafkaPassword: path.join(secretsDir, 'kafka.password'),
    questdbPassword: path.join(secretsDir, 'questdb.password'),
    adminToken: path.join(secretsDir, 'admin.token'),
  };
  writeFileSync(files.kafkaPassword, `${secrets.kafka}\n`, { mode: 0o600 });
  writeFileSync(files.questdbPassword, `${secrets.questdb}\n`, { mode: 0o600 });
  writeFileSync(files.adminToken, `${secrets.admin}\n`, { mode: 0o600 });
  const ports = await freePorts(PORT_VARS.length);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['ALPHAFEED_KAFKA_PASSWORD', 'ALPHAFEED_QUESTDB_PASSWORD', 'ALPHAFEED_ADMIN_TOKEN'])
    delete env[name];
  PORT_VARS.forEach((name, i) => (env[name] = String(ports[i])));
  const runDir = path.join(
    ROOT,
    '.infra',
    `${options.label ?? 'secured'}-${process.pid}-${Date.now().toString(36)}`,
  );
  Object.assign(env, {
    ALPHAFEED_INFRA_RUN_DIR: runDir,
    ALPHAFEED_KAFKA_CLUSTER_ID: options.clusterId ?? '',
    ALPHAFEED_KAFKA_SECURITY: 'sasl_ssl',
    ALPHAFEED_KAFKA_KEYSTORE: path.join(certDir, 'broker.p12'),
    ALPHAFEED_KAFKA_KEYSTORE_PASSWORD_FILE: path.join(certDir, 'keystore.password'),
    ALPHAFEED_KAFKA_CA_FILE: path.join(certDir, 'broker.pem'),
    ALPHAFEED_KAFKA_SASL_USERNAME: 'alphafeed-svc',
    ALPHAFEED_KAFKA_PASSWORD_FILE: files.kafkaPassword,
    ALPHAFEED_QUESTDB_USERNAME: 'alphafeed-db',
    ALPHAFEED_QUESTDB_PASSWORD_FILE: files.questdbPassword,
    ALPHAFEED_ADMIN_TOKEN_FILE: files.adminToken,
  });
  runScript('infra-up.sh', env);
  let stopped = false;
  return {
    brokers: [`127.0.0.1:${env.ALPHAFEED_KAFKA_PORT}`],
    questdbUrl: `http://127.0.0.1:${env.ALPHAFEED_QUESTDB_HTTP_PORT}`,
    runDir,
    env,
    caFile: env.ALPHAFEED_KAFKA_CA_FILE as string,
    kafkaUser: 'alphafeed-svc',
    questdbUser: 'alphafeed-db',
    secrets,
    files,
    server(action, name, kill = false) {
      const res = spawnSync(
        'bash',
        [path.join(ROOT, 'deploy/local/infra-server.sh'), action, name, ...(kill ? ['--kill'] : [])],
        { cwd: ROOT, env, encoding: 'utf8' },
      );
      if (res.status !== 0)
        throw new Error(`infra-server.sh ${action} ${name} failed: ${res.stderr}${res.stdout}`);
    },
    down() {
      if (stopped) return;
      stopped = true;
      runScript('infra-down.sh', env);
      rmSync(runDir, { recursive: true, force: true });
      rmSync(secretsDir, { recursive: true, force: true });
    },
  };
}
