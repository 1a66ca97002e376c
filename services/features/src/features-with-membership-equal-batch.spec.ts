/**
 * Index membership in the stream (SPEC §1, "membership selects rows, never
 * history"): with `data.universe_table`, the features service on the
 * in-memory bus and store stores exactly what the batch computes with the
 * same table (`membership.forPanel(panel)`): rows of members only, a joiner's
 * full look-back on its first member date, no row for a leaver after its
 * span. 1e-9 relative (SPEC §8).
 */
import 'reflect-metadata';
import { parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeFeatureFrame } from '@alphafeed/features';
import {
  StreamTestBed,
  featuresVersusBatch,
  testConfig,
  waitFor,
  writeMembershipCsv,
} from '@alphafeed/stream-testing';
import { FeaturesModule } from './features.module';

describe('features service with a membership table', () => {
  let bed: StreamTestBed | undefined;
  afterEach(async () => bed?.close());

  it('stores what the batch computes with the same table: members only, full look-back for joiners', async () => {
    const panel = generateSyntheticBars({ region: 'us', instruments: 40, years: 1.3, seed: 7 });
    const cal = panel.calendar;
    const members = writeMembershipCsv(panel);
    const config = testConfig({
      data: { universe_table: members.path },
      streaming: { eod_timeout_ms: 60_000 },
    });
    bed = await StreamTestBed.open(config, { maxBatchSize: 500 });
    await bed.start(FeaturesModule.forRoot(config, bed.runtime()));
    await bed.replay(panel);
    await waitFor(async () => (await bed!.closedDates('features')).size === cal.length, 'every date');

    // Features (model features, beta, raw vol_60) equal the batch with the same membership.
    const { rows, mismatches } = await featuresVersusBatch(bed.store, panel, config);
    expect(mismatches).toEqual([]);
    expect(rows).toBeGreaterThan(1000);

    const stored = await bed.store.read('features', { region: 'us' });
    const rowsOf = (code: string): Map<number, number> => {
      const out = new Map<number, number>();
      for (let r = 0; r < stored.length; r++)
        if (stored.instruments[stored.instrument[r]] === code) out.set(stored.date[r], r);
      return out;
    };
    // A joiner: no row before its span, and on its first row the raw vol_60 of its whole history.
    const everyone = computeFeatureFrame(panel, { features: ['vol_20'] });
    const joiner = rowsOf(panel.instruments[25]);
    const firstDay = Math.min(...joiner.keys());
    expect(firstDay).toBeGreaterThanOrEqual(parseIsoDay(cal[members.joinAt]));
    expect(firstDay).toBeLessThanOrEqual(parseIsoDay(cal[members.joinAt + 5]));
    let unrestricted = NaN;
    for (let r = 0; r < everyone.length; r++)
      if (everyone.instrument[r] === 25 && parseIsoDay(cal[everyone.date[r]]) === firstDay)
        unrestricted = (everyone.vol60 as Float64Array)[r];
    expect(Number.isFinite(unrestricted)).toBe(true);
    expect(stored.columns.style_vol_60[joiner.get(firstDay) as number]).toBe(unrestricted);
    // A leaver: its last row is on its last member date.
    const leaver = rowsOf(panel.instruments[30]);
    expect(Math.max(...leaver.keys())).toBe(parseIsoDay(cal[members.leaveAfter]));
  });
});
