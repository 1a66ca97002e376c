/**
 * Index membership in the labels service (SPEC §1): with
 * `data.universe_table`, exactly the batch's matured labels with the same
 * table are stored (members' rows only, each instrument's own returns from
 * all its bars), keyed by (date, instrument), 1e-9 relative (SPEC §8).
 */
import 'reflect-metadata';
import { formatIsoDay } from '@alphafeed/core';
import { MembershipTable, generateSyntheticBars } from '@alphafeed/data';
import { computeLabelFrame } from '@alphafeed/labels';
import { StreamTestBed, testConfig, waitFor, writeMembershipCsv } from '@alphafeed/stream-testing';
import { LABELS_TABLE } from '@alphafeed/streaming';
import { LabelsModule } from './labels.module';

const close = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;

describe('labels service with a membership table', () => {
  let bed: StreamTestBed | undefined;
  afterEach(async () => bed?.close());

  it('stores the matured batch labels of the same membership, no more', async () => {
    const panel = generateSyntheticBars({ region: 'us', instruments: 40, years: 1.3, seed: 7 });
    const cal = panel.calendar;
    const T = cal.length;
    const members = writeMembershipCsv(panel);
    const config = testConfig({
      data: { universe_table: members.path },
      streaming: { eod_timeout_ms: 60_000 },
    });
    bed = await StreamTestBed.open(config, { maxBatchSize: 500 });
    await bed.start(LabelsModule.forRoot(config, bed.runtime()));
    await bed.replay(panel);
    await waitFor(async () => (await bed!.closedDates('labels')).size === T, 'every date');

    const labels = computeLabelFrame(panel, {
      horizons: config.labels.horizons,
      ffillLimit: config.features.ffill_limit,
      membership: MembershipTable.read(members.path).forPanel(panel),
    });
    for (const [h, k] of labels.horizons.entries()) {
      const want = new Map<string, number>();
      for (let r = 0; r < labels.length; r++)
        if (labels.date[r] + k <= T - 1)
          want.set(`${cal[labels.date[r]]} ${labels.instruments[labels.instrument[r]]}`, labels.labels[h][r]);
      const got = await bed.store.read(LABELS_TABLE.name, { region: 'us', tags: { horizon: String(k) } });
      const wrong: string[] = [];
      for (let r = 0; r < got.length; r++) {
        const key = `${formatIsoDay(got.date[r])} ${got.instruments[got.instrument[r]]}`;
        if (!want.has(key)) wrong.push(`extra ${key}`);
        else if (!close(got.columns.value[r], want.get(key) as number)) wrong.push(`value ${key}`);
      }
      expect(wrong.slice(0, 5)).toEqual([]);
      expect(got.length).toBe(want.size);
      // Non-members are not labelled: the leaver has no label origin after its span.
      const leaver = panel.instruments[30];
      for (let r = 0; r < got.length; r++)
        if (got.instruments[got.instrument[r]] === leaver)
          expect(got.date[r] <= Date.parse(cal[members.leaveAfter]) / 86_400_000).toBe(true);
    }
  });
});
