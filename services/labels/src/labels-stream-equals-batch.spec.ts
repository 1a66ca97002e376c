/**
 * The labels service on the in-memory bus and store: exactly the batch labels
 * (1e-9 relative) whose t + k closed are stored — a label lands only once
 * matured — and a second replay changes nothing.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { MemoryBus } from '@alphafeed/bus';
import { TOPICS, loadEventCodecs } from '@alphafeed/codec';
import { dateOffsets, parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeLabelFrame } from '@alphafeed/labels';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import type { KeyedColumns } from '@alphafeed/store';
import { DATES_TABLE, LABELS_TABLE, startServiceApp } from '@alphafeed/runtime';
import type { Backends } from '@alphafeed/runtime';
import { testConfig, waitFor } from '../../../libs/runtime/src/testing/streaming.fixture';
import { LabelsModule } from './labels.module';

const close = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;

describe('labels service on MemoryBus + EmbeddedStore', () => {
  const apps: INestApplicationContext[] = [];
  let opened: EmbeddedStore | undefined;
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await opened?.close();
  });

  it('stores the matured batch labels only, idempotently', async () => {
    const config = testConfig({ streaming: { eod_timeout_ms: 60_000 } });
    const panel = generateSyntheticBars({ region: 'us', instruments: 40, years: 1.3, seed: 7 });
    const codecs = loadEventCodecs();
    const bus = new MemoryBus({ maxBatchSize: 500 });
    const store = await EmbeddedStore.open({});
    opened = store;
    const backends: Backends = { bus, store, kind: { bus: 'memory', store: 'embedded' } };
    await bus.connect();

    apps.push(
      await startServiceApp(LabelsModule.forRoot(config, { backends, restatementWindow: 1000 }), null),
    );
    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs) });

    const datesOf = async (service: string): Promise<number> => {
      const rows = await store.read(DATES_TABLE.name, { region: config.region });
      return Array.from(rows.instrument).filter((i) => rows.instruments[i] === service).length;
    };
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
    const before = JSON.stringify(
      await Promise.all(
        config.labels.horizons.map(async (k) =>
          snapshot(
            await store.read(LABELS_TABLE.name, { region: config.region, tags: { horizon: String(k) } }),
          ),
        ),
      ),
    );
    const endBefore = bus.endOffsets(TOPICS.endOfDay)[0];
    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs) });
    await waitFor(
      () => bus.committedOffsets('alphafeed-us-labels', TOPICS.endOfDay)[0] === 2 * endBefore,
      'the second replay consumed',
    );
    const after = JSON.stringify(
      await Promise.all(
        config.labels.horizons.map(async (k) =>
          snapshot(
            await store.read(LABELS_TABLE.name, { region: config.region, tags: { horizon: String(k) } }),
          ),
        ),
      ),
    );
    expect(after).toEqual(before);
    expect(await datesOf('labels')).toBe(T);
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
