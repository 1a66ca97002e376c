import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, parseIsoDay } from '@alphafeed/core';
import { findSpan, IndustryTable } from './industry.table';
import { loadBars } from './load-bars';
import { formatSourceSpec, parseSourceSpec } from './source-spec.parser';
import { tempDir } from './test-helpers';

describe('parseSourceSpec', () => {
  it.each([
    ['csv:data/us.csv.gz', { kind: 'csv', path: 'data/us.csv.gz' }],
    ['parquet:/x/bars.parquet', { kind: 'parquet', path: '/x/bars.parquet' }],
    ['qlib:~/.qlib/cn_data', { kind: 'qlib', dir: '~/.qlib/cn_data', market: 'all' }],
    ['qlib:/data/cn:csi300', { kind: 'qlib', dir: '/data/cn', market: 'csi300' }],
    ['qlib:C:/data/cn', { kind: 'qlib', dir: 'C:/data/cn', market: 'all' }],
    [' synthetic ', { kind: 'synthetic' }],
  ])('parses %s', (text, spec) => {
    expect(parseSourceSpec(text)).toEqual(spec);
    expect(parseSourceSpec(formatSourceSpec(parseSourceSpec(text)))).toEqual(spec);
  });

  it.each(['', 'us.csv', 'csv:', 'json:x.json', 'synthetic:5', 'qlib:'])(
    'refuses %j with the accepted forms',
    (text) => {
      expect(() => parseSourceSpec(text)).toThrow(InputError);
      expect(() => parseSourceSpec(text)).toThrow(
        /use csv:PATH .*parquet:PATH, qlib:DIR\[:MARKET\] or synthetic/,
      );
    },
  );
});

describe('industry tables', () => {
  const tmp = tempDir('industry');
  afterAll(tmp.cleanup);
  const write = (name: string, text: string): string => {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const bars = write(
    'bars.csv',
    'date,instrument,open,high,low,close,volume\n2020-01-02,A,1,1,1,1,1\n2020-01-06,A,1,1,1,1,1\n2020-01-08,A,1,1,1,1,1\n2020-01-02,B,1,1,1,1,1\n',
  );
  const industriesOf = async (table: string): Promise<(string | null)[]> => {
    const res = await loadBars(
      { kind: 'csv', path: bars },
      { region: 'us', industryTable: table, maxRejectRatio: 1 },
    );
    const p = res.panel;
    return Array.from(
      p.industry,
      (g, i) => `${p.instruments[p.instrument[i]]}@${p.calendar[p.date[i]]}=${p.industries[g]}`,
    );
  };

  it('as-of table: the industry from its date on; bars before the first row have none', async () => {
    const table = write(
      'asof.csv',
      'instrument,date,industry\nA,2020-01-06,Tech\nA,2020-01-01,Banks\nB,2020-01-03,Energy\n',
    );
    expect(await industriesOf(table)).toEqual([
      'A@2020-01-02=Banks',
      'A@2020-01-06=Tech',
      'A@2020-01-08=Tech',
    ]);
  });

  it('interval table: inclusive dates, empty end open-ended', async () => {
    const table = write(
      'intervals.csv',
      'instrument,start_date,end_date,industry\nA,2020-01-01,2020-01-06,Banks\nA,2020-01-07,,Tech\nB,2019-01-01,2019-12-31,Energy\n',
    );
    expect(await industriesOf(table)).toEqual([
      'A@2020-01-02=Banks',
      'A@2020-01-06=Banks',
      'A@2020-01-08=Tech',
    ]);
  });

  it('static table with extra columns uses the industry column; conflicting static rows are refused', async () => {
    expect(
      await industriesOf(write('static.csv', 'instrument,sector,industry\nA,S1,Tech\nB,S2,Unknown\n')),
    ).toEqual(['A@2020-01-02=Tech', 'B@2020-01-02=Unknown', 'A@2020-01-06=Tech', 'A@2020-01-08=Tech']);
    expect(() => IndustryTable.read(write('conflict.csv', 'instrument,industry\nA,Tech\nA,Banks\n'))).toThrow(
      /A has several industries \(Tech, Banks\)/,
    );
    expect(() => IndustryTable.read(write('nocol.csv', 'instrument,sector\nA,Tech\n'))).toThrow(
      /no column "industry" \(columns: instrument, sector\)/,
    );
    expect(() =>
      IndustryTable.read(write('baddate.csv', 'instrument,date,industry\nA,2020/01/01,Tech\n')),
    ).toThrow(/line 2: date "2020\/01\/01"/);
  });

  it('findSpan picks the covering span, the first one when spans overlap', () => {
    const spans = {
      starts: Float64Array.of(0, 10, 12),
      ends: Float64Array.of(20, 11, Infinity),
      industries: ['a', 'b', 'c'],
    };
    expect([-1, 0, 10, 11, 12, 21].map((d) => findSpan(spans, d))).toEqual([-1, 0, 0, 0, 0, 2]);
    expect(
      findSpan(
        {
          starts: Float64Array.of(parseIsoDay('2020-01-01')),
          ends: Float64Array.of(Infinity),
          industries: ['x'],
        },
        0,
      ),
    ).toBe(-1);
  });
});
