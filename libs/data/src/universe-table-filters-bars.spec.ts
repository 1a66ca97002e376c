import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, parseIsoDay } from '@alphafeed/core';
import { loadBars } from './load-bars';
import { tempDir } from './test-helpers';

const BARS = [
  'date,instrument,open,high,low,close,volume,industry',
  ...['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07'].flatMap((d) =>
    ['AAA', 'BBB', 'CCC'].map((i) => `${d},${i},10,11,9,10,1000,Tech`),
  ),
].join('\n');

describe('universe table (SPEC "universe")', () => {
  const tmp = tempDir('universe');
  afterAll(tmp.cleanup);
  const write = (name: string, text: string): string => {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const bars = write('bars.csv', BARS);
  const load = (universe: string) =>
    loadBars({ kind: 'csv', path: bars }, { region: 'us', universeTable: universe });

  it('keeps exactly the bars of members on their date; the calendar stays the input union', async () => {
    // AAA: two spells with a gap on 01-03; BBB: open-ended from 01-06; CCC: not named, never a member.
    const universe = write(
      'universe.csv',
      'instrument,start_date,end_date\nAAA,2020-01-01,2020-01-02\nAAA,2020-01-06,2020-01-07\nBBB,2020-01-06,\n',
    );
    const { panel, outsideUniverse } = await load(universe);
    const rows = Array.from(
      { length: panel.length },
      (_, r) => `${panel.calendar[panel.date[r]]} ${panel.instruments[panel.instrument[r]]}`,
    );
    expect(rows).toEqual([
      '2020-01-02 AAA',
      '2020-01-06 AAA',
      '2020-01-06 BBB',
      '2020-01-07 AAA',
      '2020-01-07 BBB',
    ]);
    expect(outsideUniverse).toBe(12 - 5);
    expect(panel.calendar).toEqual(['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07']);
    expect(Array.from(panel.close)).toEqual([10, 10, 10, 10, 10]);
    expect(parseIsoDay(panel.calendar[panel.date[4]])).toBe(parseIsoDay('2020-01-07'));
  });

  it('leaves the panel alone when every bar is a member', async () => {
    const everyone = write(
      'everyone.csv',
      'instrument,start_date,end_date\nAAA,2000-01-01,\nBBB,2000-01-01,\nCCC,2000-01-01,2030-12-31\n',
    );
    const { panel, outsideUniverse } = await load(everyone);
    expect(panel.length).toBe(12);
    expect(outsideUniverse).toBe(0);
  });

  it.each([
    ['no end_date column', 'instrument,start_date\nAAA,2020-01-01\n', /end_date/],
    [
      'a bad date',
      'instrument,start_date,end_date\nAAA,2020-13-01,\n',
      /line 2: start_date and end_date must be YYYY-MM-DD/,
    ],
    [
      'an end before the start',
      'instrument,start_date,end_date\nAAA,2020-02-01,2020-01-01\n',
      /line 2: end_date 2020-01-01 is before start_date 2020-02-01/,
    ],
    [
      'no member with a bar',
      'instrument,start_date,end_date\nZZZ,2020-01-01,\n',
      /no bar of csv:.* belongs to the universe/,
    ],
  ])('refuses %s with a clear message', async (_, text, message) => {
    const path = write('bad.csv', text);
    await expect(load(path)).rejects.toThrow(InputError);
    await expect(load(path)).rejects.toThrow(message);
  });
});
