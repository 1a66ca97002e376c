/**
 * The labels service on the in-memory bus and store: exactly the batch labels
 * (1e-9 relative) whose t + k closed are stored — a label lands only once
 * matured — and a second replay changes nothing.
 */
import 'reflect-metadata';
import { TOPICS } from '@alphafeed/codec';
import { dateOffsets, parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeLabelFrame } from '@alphafeed/labels';
import { StreamTestBed, testConfig, waitFor } from '@alphafeed/stream-testing';
import { LABELS_TABLE } from '@alphafeed/streaming';
import { LabelsModule } from './labels.module';

const close = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;

describe('labels service on MemoryBus + EmbeddedStore', () => {
  let bed: StreamTestBed | undefined;
  afterEach(async () => bed?.close());

  it('stores the matured batch labels only, idempotently', async () => {
    const config = testConfig({ streaming: { eod_timeout_ms: 60_000 } });
    const panel = generateSyntheticBars({ region: 'us', instruments: 40, years: 1.3, seed: 7 });
    bed = await StreamTestBed.open(config, { maxBatchSize: 500 });
    const { bus, store } = bed;
    await bed.start(LabelsModule.forRoot(config, bed.runtime()));
    await bed.replay(panel);

    const datesOf = async (service: string): Promise<number> => (await bed!.closedDates(service)).size;
    const T = panel.calendar.length;
    await waitFor(async () => (await datesOf('labels')) === T, 'every date processed');

    // Labels: exactly the batch labels whose t + k is in the calendar (matured), per horizon.
    const labels = computeLabelFrame(panel, {
      horizons: config.labels.horizons,
      ffillLimit: config.features.ffill_limit,
    });
    for (const [h, k] of labels.horizons.entries()) {
      const got = await store.read(LABELS_TABLE.name, {
        region: config.region,
        tags: { horizon: String(k) },
      });
      const lastOrigin = T - 1 - k;
      const offsets = dateOffsets(labels.date, T);
      expect(got.length).toBe(offsets[lastOrigin + 1]);
      expect(Math.max(...Array.from(got.date))).toBe(parseIsoDay(panel.calendar[lastOrigin]));
      const wrong: number[] = [];
      for (let r = 0; r < got.length; r++)
        if (!close(got.columns.value[r], labels.labels[h][r])) wrong.push(r);
      expect(wrong.slice(0, 5)).toEqual([]);
    }

    // A second replay of the same input changes nothing.
    const labelSnapshot = async (): Promise<string[]> =>
      Promise.all(
        config.labels.horizons.map((k) => bed!.snapshot(LABELS_TABLE.name, { tags: { horizon: String(k) } })),
      );
    const before = await labelSnapshot();
    const endBefore = bus.endOffsets(TOPICS.endOfDay)[0];
    await bed.replay(panel);
    await waitFor(
      () => bus.committedOffsets('alphafeed-us-labels', TOPICS.endOfDay)[0] === 2 * endBefore,
      'the second replay consumed',
    );
    expect(await labelSnapshot()).toEqual(before);
    expect(await datesOf('labels')).toBe(T);
  });
});
