/**
 * `streaming.consumers: shared` on the in-memory bus and store: two features
 * instances split the bars partitions, one of them closes every date, the
 * result equals the batch frame; a corrected bar ingested by either instance
 * restates its date; a second replay changes nothing; when the closer stops,
 * the standby takes over from the store and finishes the region.
 */
import 'reflect-metadata';
import { TOPICS } from '@alphafeed/codec';
import { formatIsoDay, parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import type { KeyedColumns } from '@alphafeed/store';
import { StreamTestBed, featuresVersusBatch, testConfig, waitFor } from '@alphafeed/stream-testing';
import { BarsConsumer } from './bars.consumer';
import { FeaturesModule } from './features.module';

describe('features service, consumers: shared', () => {
  let bed: StreamTestBed | undefined;
  afterEach(async () => bed?.close());

  it('splits ingestion, closes each date once, restates corrections and survives the closer stopping', async () => {
    const config = testConfig({ streaming: { consumers: 'shared', eod_timeout_ms: 60_000 } });
    const panel = generateSyntheticBars({ region: 'us', instruments: 40, years: 1.3, seed: 7 });
    bed = await StreamTestBed.open(config, { maxBatchSize: 200 });
    const { bus, store, codecs } = bed;
    const apps: Awaited<ReturnType<StreamTestBed['start']>>[] = [];
    const start = async (): Promise<BarsConsumer> => {
      const app = await bed!.start(FeaturesModule.forRoot(config, bed!.runtime()));
      apps.push(app);
      return app.get(BarsConsumer);
    };
    const [a, b] = [await start(), await start()];
    const dates = (): Promise<Map<number, number>> => bed!.closedDates('features');
    const T = panel.calendar.length;
    const half = panel.calendar[Math.floor(T / 2)];
    const replay = (from?: string, to?: string) => bed!.replay(panel, { from, to });

    // First half: both ingest, one closes.
    await replay(undefined, half);
    await waitFor(async () => (await dates()).size === Math.floor(T / 2) + 1, 'the first half processed');
    expect(a.consumer.barsIngested).toBeGreaterThan(0);
    expect(b.consumer.barsIngested).toBeGreaterThan(0);
    const published = bus.endOffsets(TOPICS.bars).reduce((s, n) => s + n, 0);
    expect(a.consumer.barsIngested + b.consumer.barsIngested).toBe(published);
    const [closer, standby] = a.consumer.datesProcessed > 0 ? [0, 1] : [1, 0];
    expect([a, b][standby].consumer.datesProcessed).toBe(0);

    // The closer stops; the standby takes the EOD partition over and finishes the region.
    await bed.stop(apps[closer]);
    await replay(formatIsoDay(parseIsoDay(half) + 1));
    await waitFor(async () => (await dates()).size === T, 'every date processed by the standby');
    expect([a, b][standby].consumer.datesProcessed).toBe(T);
    const { rows, mismatches } = await featuresVersusBatch(store, panel, config);
    expect(mismatches).toEqual([]);
    expect(rows).toBeGreaterThan(1000);

    // A second replay of the same input changes nothing.
    const before = await store.read('features', { region: config.region });
    await replay();
    const drained = (group: string, topic: string): boolean =>
      bus.committedOffsets(group, topic).every((offset, p) => offset === bus.endOffsets(topic)[p]);
    // Ingest first: it re-sends the markers of the dates it saw again, before it commits.
    await waitFor(
      () =>
        drained('alphafeed-us-features', TOPICS.bars) &&
        drained('alphafeed-us-features-close', TOPICS.endOfDay),
      'the second replay consumed',
    );
    expect(await store.read('features', { region: config.region })).toEqual(before);
    expect([...(await dates()).values()].every((revision) => revision === 0)).toBe(true);

    // A corrected bar of a processed date is a restatement of that date and the later ones.
    const day = panel.calendar[T - 5];
    const r = Array.from(panel.date).findIndex((d) => panel.calendar[d] === day);
    const bar = {
      region: 'us',
      date: parseIsoDay(day),
      instrument: panel.instruments[panel.instrument[r]],
      open: panel.open[r],
      high: panel.high[r] * 1.1,
      low: panel.low[r],
      close: panel.close[r] * 1.1,
      volume: panel.volume[r],
      amount: panel.amount?.[r] ?? null,
      shares_out: panel.sharesOut?.[r] ?? null,
      factor: null,
      industry: panel.industries[panel.industry[r]],
    };
    await bus.publish(TOPICS.bars, [{ key: Buffer.from(bar.instrument), value: codecs.bar.encode(bar) }]);
    await waitFor(async () => (await dates()).get(parseIsoDay(day)) === 1, `the restatement of ${day}`);
    const featuresOf = (rows: KeyedColumns): number[] | undefined => {
      for (let i = 0; i < rows.length; i++)
        if (rows.date[i] === bar.date && rows.instruments[rows.instrument[i]] === bar.instrument)
          return config.features.names.map((n) => rows.columns[n]?.[i] ?? NaN);
      return undefined;
    };
    expect(featuresOf(before)).toBeDefined();
    expect(featuresOf(await store.read('features', { region: config.region }))).not.toEqual(
      featuresOf(before),
    );
  });
});
