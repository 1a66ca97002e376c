/**
 * The security options on real servers: one Kafka broker whose client
 * listener is SASL_SSL (SCRAM-SHA-512, self-signed certificate) and a QuestDB
 * with HTTP basic auth, started by deploy/local/infra-up.sh with a KRaft
 * cluster id that begins with '-'. Clients without credentials are refused;
 * the bus and store ports, built from a region config and secrets in files,
 * work.
 */
import { readFileSync } from 'node:fs';
import { BusError, KafkaBus } from '@alphafeed/bus';
import type { IncomingMessage } from '@alphafeed/bus';
import { loadConfig, overrideConfig, resolveSecrets } from '@alphafeed/config';
import { kafkaBusOptions, questDbStoreOptions } from '@alphafeed/streaming';
import { QuestDbStore, StoreError } from '@alphafeed/store';
import type { TableSpec } from '@alphafeed/store';
import * as path from 'node:path';
import { ROOT } from './servers';
import { dashClusterId, startSecuredInfra } from './secured-infra';
import type { SecuredInfra } from './secured-infra';
import { unique, until } from './poll';

const TABLE: TableSpec = {
  name: 'secured_probe',
  columns: [{ name: 'v', kind: 'double' }],
  tags: [],
  extraKeys: [],
};

describe('secured servers: Kafka SASL_SSL + QuestDB basic auth', () => {
  let infra: SecuredInfra;
  const clusterId = dashClusterId();

  beforeAll(async () => {
    infra = await startSecuredInfra({ clusterId, label: 'secured-e2e' });
  }, 180_000);

  afterAll(() => infra?.down());

  const config = () =>
    overrideConfig(loadConfig(path.join(ROOT, 'config/us.yaml')), {
      streaming: {
        kafka: { brokers: infra.brokers },
        questdb: { http_url: infra.questdbUrl },
        security: {
          kafka: {
            protocol: 'sasl_ssl',
            sasl_username: infra.kafkaUser,
            ca_file: infra.caFile,
            password_file: infra.files.kafkaPassword,
          },
          questdb: { username: infra.questdbUser, password_file: infra.files.questdbPassword },
        },
      },
    });
  // Secrets come from the files the config names; the environment is left out on purpose.
  const secretsOf = (c: ReturnType<typeof config>) => resolveSecrets(c, {});

  it('formatted the log dir with a cluster id that begins with "-"', () => {
    expect(clusterId.startsWith('-')).toBe(true);
    expect(readFileSync(path.join(infra.runDir, 'kafka-cluster-id'), 'utf8').trim()).toBe(clusterId);
  });

  it('refuses a Kafka client without TLS and SASL, and one with a wrong password', async () => {
    const plain = new KafkaBus({ brokers: infra.brokers, retries: 0, connectionTimeoutMs: 2000 });
    await expect(plain.connect()).rejects.toBeInstanceOf(BusError);
    await plain.close();
    const ca = [readFileSync(infra.caFile, 'utf8')];
    const wrong = new KafkaBus({
      brokers: infra.brokers,
      retries: 0,
      ssl: { ca },
      sasl: { mechanism: 'scram-sha-512', username: infra.kafkaUser, password: 'not-the-password' },
    });
    const err = await wrong.connect().then(
      () => null,
      (e: unknown) => e,
    );
    await wrong.close();
    expect(err).toBeInstanceOf(BusError);
    expect((err as BusError).code).toBe('BUS_AUTH');
    expect((err as BusError).message).toMatch(/refused the SASL login of user 'alphafeed-svc'/);
    expect((err as BusError).message).not.toContain(infra.secrets.kafka);
  });

  it('a client with the credentials publishes and consumes through the bus port', async () => {
    const c = config();
    const bus = new KafkaBus(kafkaBusOptions(c, unique('secured'), secretsOf(c)));
    await bus.connect();
    try {
      const topic = unique('secured_topic');
      await bus.ensureTopics([{ name: topic, partitions: 2 }]);
      await bus.publish(
        topic,
        Array.from({ length: 20 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) })),
      );
      const seen: IncomingMessage[] = [];
      const sub = await bus.subscribe(
        { groupId: unique('g'), topics: [topic], fromBeginning: true },
        async (b) => {
          seen.push(...b);
        },
      );
      await until(
        '20 messages',
        () => seen.length,
        (n) => n >= 20,
        60_000,
      );
      await sub.close();
      expect(seen.map((m) => m.value.toString()).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `v${i}`).sort(),
      );
    } finally {
      await bus.close();
    }
  });

  it('QuestDB refuses unauthenticated reads and writes; the store port works with the credentials', async () => {
    const read = await fetch(`${infra.questdbUrl}/exec?query=${encodeURIComponent('SELECT 1')}`);
    expect(read.status).toBe(401);
    const write = await fetch(`${infra.questdbUrl}/write`, { method: 'POST', body: 'secured_probe v=1.0\n' });
    expect(write.status).toBe(401);

    const anonymous = new QuestDbStore({ url: infra.questdbUrl, requestTimeoutMs: 5000 });
    const refused = await anonymous.ensureTables([TABLE]).then(
      () => null,
      (e: unknown) => e,
    );
    await anonymous.close();
    expect(refused).toBeInstanceOf(StoreError);
    expect((refused as StoreError).code).toBe('STORE_AUTH');

    const wrong = new QuestDbStore({ url: infra.questdbUrl, username: infra.questdbUser, password: 'nope' });
    await expect(wrong.ensureTables([TABLE])).rejects.toMatchObject({ code: 'STORE_AUTH' });
    await wrong.close();

    const c = config();
    const store = new QuestDbStore(questDbStoreOptions(c, secretsOf(c)));
    try {
      await store.ensureTables([TABLE]);
      const region = unique('sec');
      await store.write(TABLE.name, {
        region,
        length: 2,
        date: Int32Array.from([20_000, 20_001]),
        instrument: Int32Array.from([0, 1]),
        instruments: ['A', 'B'],
        columns: { v: Float64Array.from([1.5, -2.25]) },
      });
      const back = await store.read(TABLE.name, { region });
      expect(back.length).toBe(2);
      expect([...back.columns.v]).toEqual([1.5, -2.25]);
    } finally {
      await store.close();
    }
  });
});
