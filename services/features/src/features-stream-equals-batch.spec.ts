/**
 * The features service on the in-memory bus and store: a replayed synthetic
 * region gives the batch feature frame (1e-9 relative), a second replay
 * changes nothing, and bad messages reach the dead-letter topic.
 */
import 'reflect-metadata';
import { TOPICS } from '@alphafeed/codec';
import { generateSyntheticBars } from '@alphafeed/data';
import { StreamTestBed, featuresVersusBatch, testConfig, waitFor } from '@alphafeed/stream-testing';
import { FeaturesModule } from './features.module';

describe('features service on MemoryBus + EmbeddedStore', () => {
  let bed: StreamTestBed | undefined;
  afterEach(async () => bed?.close());

  it('stores the batch features, idempotently, and dead-letters bad messages', async () => {
    const config = testConfig({ streaming: { eod_timeout_ms: 60_000 } });
    const panel = generateSyntheticBars({ region: 'us', instruments: 40, years: 1.3, seed: 7 });
    bed = await StreamTestBed.open(config, { maxBatchSize: 500 });
    const { bus, store } = bed;
    await bed.start(FeaturesModule.forRoot(config, bed.runtime()));
    await bed.replay(panel);
    await bus.publish(TOPICS.bars, [{ key: Buffer.from('X'), value: Buffer.from('not avro') }]);

    const T = panel.calendar.length;
    await waitFor(async () => (await bed!.closedDates('features')).size === T, 'every date processed');
    await waitFor(() => bus.endOffsets(TOPICS.barsDlq)[0] === 1, 'the dead letter');

    // Features equal the batch frame.
    const { rows, mismatches } = await featuresVersusBatch(store, panel, config);
    expect(mismatches).toEqual([]);
    expect(rows).toBeGreaterThan(1000);

    // A second replay of the same input changes nothing.
    const before = await bed.snapshot('features');
    const endBefore = bus.endOffsets(TOPICS.endOfDay)[0];
    await bed.replay(panel);
    await waitFor(
      () => bus.committedOffsets('alphafeed-us-features', TOPICS.endOfDay)[0] === 2 * endBefore,
      'the second replay consumed',
    );
    expect(await bed.snapshot('features')).toEqual(before);
    expect((await bed.closedDates('features')).size).toBe(T);
  });
});
