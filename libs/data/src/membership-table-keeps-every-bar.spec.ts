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

describe('membership table (SPEC §1: membership selects rows, never history)', () => {
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

  it('keeps every bar (history) and answers who is a member on each date', async () => {
    // AAA: two spells with a gap on 01-03; BBB: open-ended from 01-06; CCC: not named, never a member.
    const universe = write(
      'universe.csv',
      'instrument,start_date,end_date\nAAA,2020-01-01,2020-01-02\nAAA,2020-01-06,2020-01-07\nBBB,2020-01-06,\n',
    );
    const { panel, outsideUniverse, membership } = await load(universe);
    expect(panel.length).toBe(12);
    expect(panel.calendar).toEqual(['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07']);
    expect(outsideUniverse).toBe(12 - 5);
    expect(membership).not.toBeNull();
    const oracle = membership!.forPanel(panel);
    const members = Array.from({ length: panel.length }, (_, r) => r)
      .filter((r) => oracle.isMember(panel.instrument[r], panel.date[r]))
      .map((r) => `${panel.calendar[panel.date[r]]} ${panel.instruments[panel.instrument[r]]}`);
    expect(members).toEqual([
      '2020-01-02 AAA',
      '2020-01-06 AAA',
      '2020-01-06 BBB',
      '2020-01-07 AAA',
      '2020-01-07 BBB',
    ]);
    expect(membership!.isMember('AAA', parseIsoDay('2020-01-03'))).toBe(false);
    expect(membership!.isMember('BBB', parseIsoDay('2099-01-01'))).toBe(true);
    expect(membership!.isMember('CCC', parseIsoDay('2020-01-06'))).toBe(false);
  });

  it('binds to a growing dictionary and calendar, as the stream keeps them', async () => {
    const universe = write('grow.csv', 'instrument,start_date,end_date\nBBB,2020-01-06,\n');
    const { membership } = await load(universe);
    const codes: string[] = ['AAA'];
    const days: number[] = [parseIsoDay('2020-01-06')];
    const oracle = membership!.oracle(
      (i) => codes[i],
      (d) => days[d],
    );
    expect(oracle.isMember(0, 0)).toBe(false);
    codes.push('BBB'); // id 1 seen for the first time later
    days.push(parseIsoDay('2020-01-07'));
    expect(oracle.isMember(1, 1)).toBe(true);
    expect(oracle.isMember(1, 0)).toBe(true);
  });

  it('no table: no membership, nothing outside', async () => {
    const res = await loadBars({ kind: 'csv', path: bars }, { region: 'us' });
    expect(res.membership).toBeNull();
    expect(res.outsideUniverse).toBe(0);
  });

  it.each([
    ['no end_date column', 'instrument,start_date\nAAA,2020-01-01\n', /end_date/],
    [
      'a bad date',
      'instrument,start_date,end_date\nAAA,2020-13-01,\n',
      /membership table .* line 2: start_date and end_date must be YYYY-MM-DD/,
    ],
    [
      'an end before the start',
      'instrument,start_date,end_date\nAAA,2020-02-01,2020-01-01\n',
      /line 2: end_date 2020-01-01 is before start_date 2020-02-01/,
    ],
    [
      'no member with a bar',
      'instrument,start_date,end_date\nZZZ,2020-01-01,\n',
      /no bar of csv:.* belongs to the universe of .*bad\.csv/,
    ],
  ])('refuses %s with a clear message', async (_, text, message) => {
    const path = write('bad.csv', text);
    await expect(load(path)).rejects.toThrow(InputError);
    await expect(load(path)).rejects.toThrow(message);
  });
});
