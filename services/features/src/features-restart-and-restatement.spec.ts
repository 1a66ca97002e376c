/**
 * The features service across a restart (resume from the store: engine rebuilt
 * from the written-ahead bars, committed offsets continue) and a restatement
 * (a corrected bar for a closed date: that date and the later ones are
 * recomputed and rewritten with revision + 1), checked against the batch
 * frame of the same (corrected) input.
 */
import 'reflect-metadata';
import type { BarPanel } from '@alphafeed/core';
import { parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import type { RegionConfig } from '@alphafeed/config';
import { StreamTestBed, featuresVersusBatch, testConfig, waitFor } from '@alphafeed/stream-testing';
import { BarsConsumer } from './bars.consumer';
import { FeaturesModule } from './features.module';

async function expectBatchEqual(bed: StreamTestBed, config: RegionConfig, panel: BarPanel): Promise<void> {
  const { mismatches } = await featuresVersusBatch(bed.store, panel, config);
  expect(mismatches).toEqual([]);
}

describe('features service: restart and restatement', () => {
  let bed: StreamTestBed | undefined;
  afterEach(async () => bed?.close());

  it('resumes after a graceful stop mid-replay and ends with the batch frame', async () => {
    const config = testConfig();
    const panel = generateSyntheticBars({ region: 'us', instruments: 30, years: 1.2, seed: 3 });
    bed = await StreamTestBed.open(config, { maxBatchSize: 200 });
    const T = panel.calendar.length;
    const half = panel.calendar[Math.floor(T / 2)];

    const first = await bed.start(FeaturesModule.forRoot(config, bed.runtime()));
    await bed.replay(panel, { to: half });
    const consumer = first.get(BarsConsumer).consumer;
    await waitFor(() => consumer.datesProcessed === Math.floor(T / 2) + 1, 'the first half');
    await bed.stop(first);

    // Bars of the second half arrive while the service is down; the next instance continues.
    await bed.replay(panel, { from: panel.calendar[Math.floor(T / 2) + 1] });
    const second = await bed.start(FeaturesModule.forRoot(config, bed.runtime()));
    const resumed = second.get(BarsConsumer).consumer;
    await waitFor(() => resumed.datesProcessed === T, 'every date after the restart');
    await expectBatchEqual(bed, config, panel);
    expect((await bed.closedDates('features')).size).toBe(T);
  });

  it('recomputes a restated date and every later date with revision + 1, equal to the batch frame of the corrected input', async () => {
    const config = testConfig();
    const panel = generateSyntheticBars({ region: 'us', instruments: 30, years: 1.2, seed: 5 });
    bed = await StreamTestBed.open(config, { maxBatchSize: 200 });
    const T = panel.calendar.length;
    const app = await bed.start(FeaturesModule.forRoot(config, bed.runtime()));
    await bed.replay(panel);
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
    await bed.publishBars([
      {
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
      },
    ]);

    const revisions = async (): Promise<number[]> => [...(await bed!.closedDates('features')).values()];
    await waitFor(async () => (await revisions())[T - 1] === 1, 'the restatement to reach the last date');
    const revs = await revisions();
    expect(revs.slice(0, d).every((r) => r === 0)).toBe(true);
    expect(revs.slice(d).every((r) => r === 1)).toBe(true);
    await expectBatchEqual(bed, config, corrected);
    const stored = await bed.store.read('features', { region: config.region, from: panel.calendar[d] });
    expect(Array.from(stored.columns.revision).every((r) => r === 1)).toBe(true);
  });
});
