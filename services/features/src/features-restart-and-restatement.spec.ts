/**
 * The features service across a restart (resume from the store: engine rebuilt
 * from the written-ahead bars, committed offsets continue) and a restatement
 * (a corrected bar for a closed date: that date and the later ones are
 * recomputed and rewritten with revision + 1), checked against the batch
 * frame of the same (corrected) input.
 */
import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { MemoryBus } from '@alphafeed/bus';
import { TOPICS, loadEventCodecs } from '@alphafeed/codec';
import type { BarPanel } from '@alphafeed/core';
import { parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import { DATES_TABLE, startServiceApp } from '@alphafeed/runtime';
import type { Backends } from '@alphafeed/runtime';
import type { RegionConfig } from '@alphafeed/config';
import { testConfig, waitFor } from '../../../libs/runtime/src/testing/streaming.fixture';
import { BarsConsumer } from './bars.consumer';
import { featuresVersusBatch } from './features-match-batch.testing';
import { FeaturesModule } from './features.module';

async function expectBatchEqual(store: EmbeddedStore, config: RegionConfig, panel: BarPanel): Promise<void> {
  const { mismatches } = await featuresVersusBatch(store, panel, config);
  expect(mismatches).toEqual([]);
}

describe('features service: restart and restatement', () => {
  const apps: INestApplicationContext[] = [];
  let opened: EmbeddedStore | undefined;
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await opened?.close();
  });

  it('resumes after a graceful stop mid-replay and ends with the batch frame', async () => {
    const config = testConfig();
    const panel = generateSyntheticBars({ region: 'us', instruments: 30, years: 1.2, seed: 3 });
    const codecs = loadEventCodecs();
    const bus = new MemoryBus({ maxBatchSize: 200 });
    const store = (opened = await EmbeddedStore.open({}));
    await bus.connect();
    const backends: Backends = { bus, store, kind: { bus: 'memory', store: 'embedded' } };
    const T = panel.calendar.length;
    const half = panel.calendar[Math.floor(T / 2)];

    const first = await startServiceApp(
      FeaturesModule.forRoot(config, { backends, restatementWindow: 1000 }),
      null,
    );
    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs), to: half });
    const consumer = first.get(BarsConsumer).consumer;
    await waitFor(() => consumer.datesProcessed === Math.floor(T / 2) + 1, 'the first half');
    await first.close();

    // Bars of the second half arrive while the service is down; the next instance continues.
    await replayBars({
      panel,
      region: config.region,
      sink: bus,
      ...codecReplayEncoders(codecs),
      from: panel.calendar[Math.floor(T / 2) + 1],
    });
    const second = await startServiceApp(
      FeaturesModule.forRoot(config, { backends, restatementWindow: 1000 }),
      null,
    );
    apps.push(second);
    const resumed = second.get(BarsConsumer).consumer;
    await waitFor(() => resumed.datesProcessed === T, 'every date after the restart');
    await expectBatchEqual(store, config, panel);
    const dates = await store.read(DATES_TABLE.name, { region: config.region });
    expect(Array.from(dates.instrument).filter((i) => dates.instruments[i] === 'features')).toHaveLength(T);
  });

  it('recomputes a restated date and every later date with revision + 1, equal to the batch frame of the corrected input', async () => {
    const config = testConfig();
    const panel = generateSyntheticBars({ region: 'us', instruments: 30, years: 1.2, seed: 5 });
    const codecs = loadEventCodecs();
    const bus = new MemoryBus({ maxBatchSize: 200 });
    const store = (opened = await EmbeddedStore.open({}));
    await bus.connect();
    const backends: Backends = { bus, store, kind: { bus: 'memory', store: 'embedded' } };
    const T = panel.calendar.length;
    const app = await startServiceApp(
      FeaturesModule.forRoot(config, { backends, restatementWindow: 1000 }),
      null,
    );
    apps.push(app);
    await replayBars({ panel, region: config.region, sink: bus, ...codecReplayEncoders(codecs) });
    const consumer = app.get(BarsConsumer).consumer;
    await waitFor(() => consumer.datesProcessed === T, 'every date');

    // A vendor correction of one bar, 8 dates before the end.
    const d = T - 8;
    let row = 0;
    while (panel.date[row] !== d) row++;
    const corrected = {
      ...panel,
      close: Float64Array.from(panel.close),
      high: Float64Array.from(panel.high),
    };
    corrected.close[row] *= 1.07;
    corrected.high[row] = Math.max(corrected.high[row], corrected.close[row]);
    const bar = {
      region: config.region,
      date: parseIsoDay(panel.calendar[d]),
      instrument: panel.instruments[panel.instrument[row]],
      open: panel.open[row],
      high: corrected.high[row],
      low: panel.low[row],
      close: corrected.close[row],
      volume: panel.volume[row],
      amount: panel.amount === null ? null : panel.amount[row],
      shares_out: panel.sharesOut === null ? null : panel.sharesOut[row],
      factor: null,
      industry: panel.industries[panel.industry[row]],
    };
    await bus.publish(TOPICS.bars, [{ key: Buffer.from(bar.instrument), value: codecs.bar.encode(bar) }]);

    const revisions = async (): Promise<number[]> => {
      const rows = await store.read(DATES_TABLE.name, { region: config.region });
      const out: number[] = [];
      for (let r = 0; r < rows.length; r++)
        if (rows.instruments[rows.instrument[r]] === 'features') out.push(rows.columns.revision[r]);
      return out;
    };
    await waitFor(async () => (await revisions())[T - 1] === 1, 'the restatement to reach the last date');
    const revs = await revisions();
    expect(revs.slice(0, d).every((r) => r === 0)).toBe(true);
    expect(revs.slice(d).every((r) => r === 1)).toBe(true);
    await expectBatchEqual(store, config, corrected);
    const stored = await store.read('features', { region: config.region, from: panel.calendar[d] });
    expect(Array.from(stored.columns.revision).every((r) => r === 1)).toBe(true);
  });
});
