/**
 * `streaming.consumers: shared` on real Kafka and QuestDB: two instances of
 * the features service, each with its own connections as two processes would
 * have, split the bars partitions of one consumer group; exactly one closes
 * the dates (the owner of the EOD partition), and the stored features equal
 * the batch frame. Region cn: the Kafka flow spec writes region us to the same QuestDB.
 */
import 'reflect-metadata';
import { KafkaBus } from '@alphafeed/bus';
import { overrideConfig } from '@alphafeed/config';
import { generateSyntheticBars } from '@alphafeed/data';
import { QuestDbStore } from '@alphafeed/store';
import { replayPanel, startServices } from '@alphafeed/service-cli';
import type { RunningServices } from '@alphafeed/service-cli';
import { FeaturesBarsConsumer } from '@alphafeed/service-features';
import { featuresVersusBatch } from '@alphafeed/stream-testing';
import { featuresTable } from '@alphafeed/streaming';
import { env, unique, until } from '../infra/poll';
import { dropServiceTables } from '../infra/questdb-tables';
import { flowConfig } from './streaming.flow';

describe('shared consumers on Kafka + QuestDB', () => {
  it('two features instances split the partitions, one closes each date, the result equals the batch frame', async () => {
    await dropServiceTables(env('ALPHAFEED_QUESTDB_URL'));
    const brokers = env('ALPHAFEED_KAFKA_BROKERS').split(',');
    const config = overrideConfig(
      flowConfig({
        region: 'cn',
        kafka: { brokers, questdbUrl: env('ALPHAFEED_QUESTDB_URL') },
        instruments: 60,
        years: 1.5,
        trees: 1,
      }),
      { streaming: { consumers: 'shared' } },
      'e2e',
    );
    const panel = generateSyntheticBars({
      region: 'cn',
      instruments: 60,
      years: 1.5,
      seed: 5,
      startDate: '2016-01-01',
    });
    const T = panel.calendar.length;
    const instances: RunningServices[] = [];
    const bus = new KafkaBus({ brokers, clientId: unique('e2e-replay') });
    try {
      for (let i = 0; i < 2; i++)
        instances.push(await startServices(config, { only: ['features'], basePort: null }));
      const [a, b] = instances.map((s) => s.apps.features!.get(FeaturesBarsConsumer).consumer);
      // Both members must be in the group before the bars arrive, or the first takes every partition.
      await new Promise((resolve) => setTimeout(resolve, 8000));
      await bus.connect();
      const replayed = await replayPanel(bus, config, panel, { quiet: true });
      await until(
        'every date closed by one instance',
        () => a.datesProcessed + b.datesProcessed,
        (n) => n === T,
        300_000,
      );
      process.stdout.write(
        `shared: ${replayed.bars} bars; ingested ${a.barsIngested} + ${b.barsIngested}; dates closed ${a.datesProcessed} + ${b.datesProcessed}\n`,
      );
      expect(a.barsIngested).toBeGreaterThan(0);
      expect(b.barsIngested).toBeGreaterThan(0);
      // At least once: a rebalance may deliver a batch twice (an upsert), never less than everything.
      expect(a.barsIngested + b.barsIngested).toBeGreaterThanOrEqual(replayed.bars);
      expect(Math.min(a.datesProcessed, b.datesProcessed)).toBe(0);
      const store = new QuestDbStore({ url: env('ALPHAFEED_QUESTDB_URL') });
      await store.ensureTables([featuresTable(config.features.names)]);
      const { rows, mismatches } = await featuresVersusBatch(store, panel, config);
      await store.close();
      expect(mismatches).toEqual([]);
      expect(rows).toBeGreaterThan(5000);
    } finally {
      for (const s of instances) await s.close();
      await bus.close();
    }
  });
});
