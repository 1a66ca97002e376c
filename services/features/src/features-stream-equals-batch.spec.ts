/**
 * The features service on the in-memory bus and store: a replayed synthetic
 * region gives the batch feature frame (1e-9 relative), a second replay
 * changes nothing, and bad messages reach the dead-letter topic.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { MemoryBus } from '@alphafeed/bus';
import { TOPICS, loadEventCodecs } from '@alphafeed/codec';
import { generateSyntheticBars } from '@alphafeed/data';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import type { KeyedColumns } from '@alphafeed/store';
import { DATES_TABLE, startServiceApp } from '@alphafeed/runtime';
import type { Backends } from '@alphafeed/runtime';
import { testConfig, waitFor } from '../../../libs/runtime/src/testing/streaming.fixture';
import { featuresVersusBatch } from './features-match-batch.testing';
import { FeaturesModule } from './features.module';

describe('features service on MemoryBus + EmbeddedStore', () => {
  const apps: INestApplicationContext[] = [];
  let opened: EmbeddedStore | undefined;
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await opened?.close();
  });

  it('stores the batch features, idempotently, and dead-letters bad messages', async () => {
    const config = testConfig({ streaming: { eod_timeout_ms: 60_000 } });
    const panel = generateSyntheticBars({ region: 'us', instruments: 40, years: 1.3, seed: 7 });
    const codecs = loadEventCodecs();
    const bus = new MemoryBus({ maxBatchSize: 500 });
    const store = await EmbeddedStore.open({});
    opened = store;
    const backends: Backends = { bus, store, kind: { bus: 'memory', store: 'embedded' } };
    await bus.connect();

    apps.push(
      await startServiceApp(FeaturesModule.forRoot(config, { backends, restatementWindow: 1000 }), null),
    );
    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs) });
    await bus.publish(TOPICS.bars, [{ key: Buffer.from('X'), value: Buffer.from('not avro') }]);

    const datesOf = async (service: string): Promise<number> => {
      const rows = await store.read(DATES_TABLE.name, { region: config.region });
      return Array.from(rows.instrument).filter((i) => rows.instruments[i] === service).length;
    };
    const T = panel.calendar.length;
    await waitFor(async () => (await datesOf('features')) === T, 'every date processed');
    await waitFor(() => bus.endOffsets(TOPICS.barsDlq)[0] === 1, 'the dead letter');

    // Features equal the batch frame.
    const { rows, mismatches } = await featuresVersusBatch(store, panel, config);
    expect(mismatches).toEqual([]);
    expect(rows).toBeGreaterThan(1000);

    // A second replay of the same input changes nothing.
    const before = snapshot(await store.read('features', { region: config.region }));
    const endBefore = bus.endOffsets(TOPICS.endOfDay)[0];
    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs) });
    await waitFor(
      () => bus.committedOffsets('alphafeed-us-features', TOPICS.endOfDay)[0] === 2 * endBefore,
      'the second replay consumed',
    );
    expect(snapshot(await store.read('features', { region: config.region }))).toEqual(before);
    expect(await datesOf('features')).toBe(T);
  });
});

function snapshot(rows: KeyedColumns): string {
  return JSON.stringify({
    n: rows.length,
    d: Array.from(rows.date),
    i: Array.from(rows.instrument, (i) => rows.instruments[i]),
    c: Object.entries(rows.columns).map(([k, v]) => [k, Array.from(v)]),
  });
}
