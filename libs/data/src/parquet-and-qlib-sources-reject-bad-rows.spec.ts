import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@alphafeed/core';
import { loadBars } from './load-bars';
import { writeParquet } from './parquet.writer';
import { writeQlibDir } from './qlib.writer';
import { FIXTURES, panelRows, tempDir } from './test-helpers';

describe('parquet bar source with bad rows', () => {
  const tmp = tempDir('parquet-rejects');
  afterAll(tmp.cleanup);

  it('rejects each bad row with its reason, applies the factor, and keeps the first of a repeated key', async () => {
    const rows: [string, string, number, number, number, number, number, number, string][] = [
      ['2020-01-02', 'AAA', 10, 11, 9, 10, 100, 2, 'Tech'], // ok, factor 2
      ['2020-01-02', 'BBB', 5, 6, 4, 5, 100, 1, 'Energy'], // ok
      ['2020-01-03', 'AAA', 10, 11, 9, 10, 100, 2, 'Tech'], // ok
      ['2020-01-03', 'AAA', 10, 11, 9, 10, 999, 2, 'Tech'], // duplicate_key
      ['2020-02-30', 'BBB', 5, 6, 4, 5, 100, 1, 'Energy'], // bad_date
      ['2020-01-03', 'BBB', 5, 4, 6, 5, 100, 1, 'Energy'], // high_below_low
      ['2020-01-06', 'BBB', -5, 6, 4, 5, 100, 1, 'Energy'], // price_not_positive_finite
      ['2020-01-06', 'AAA', 10, 11, 9, 10, NaN, 2, 'Tech'], // volume_negative_or_nan
      ['2020-01-06', 'CCC', 10, 11, 9, 10, 100, 1, ''], // no_industry
      ['2020-01-06', '', 10, 11, 9, 10, 100, 1, 'Tech'], // bad_instrument
      ['2020-01-07', 'AAA', 10, 11, 9, 10, 100, 0, 'Tech'], // factor_not_positive_finite
      ['2020-01-07', 'BBB', 5, 6, 4, 7, 100, 1, 'Energy'], // ohlc_inconsistent
    ];
    const path = join(tmp.dir, 'bad.parquet');
    const col = (k: number) => Float64Array.from(rows, (r) => r[k] as number);
    await writeParquet(path, {
      length: rows.length,
      columns: [
        { name: 'date', type: 'string', values: rows.map((r) => r[0]) },
        { name: 'instrument', type: 'string', values: rows.map((r) => r[1]) },
        { name: 'open', type: 'double', values: col(2) },
        { name: 'high', type: 'double', values: col(3) },
        { name: 'low', type: 'double', values: col(4) },
        { name: 'close', type: 'double', values: col(5) },
        { name: 'volume', type: 'double', values: col(6) },
        { name: 'factor', type: 'double', values: col(7) },
        { name: 'industry', type: 'string', values: rows.map((r) => r[8]) },
      ],
    });
    const rejectsPath = join(tmp.dir, 'rejects.csv');
    const res = await loadBars({ kind: 'parquet', path }, { region: 'us', maxRejectRatio: 1, rejectsPath });
    expect(panelRows(res.panel)).toEqual([
      ['2020-01-02', 'AAA', 'Tech', 20, 22, 18, 20, 50],
      ['2020-01-02', 'BBB', 'Energy', 5, 6, 4, 5, 100],
      ['2020-01-03', 'AAA', 'Tech', 20, 22, 18, 20, 50],
    ]);
    expect(res.rejects.rowsRead).toBe(12);
    expect(res.rejects.rejected).toBe(9);
    const lines = readFileSync(rejectsPath, 'utf8').trim().split('\n').slice(1);
    expect(lines.map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      '4,duplicate_key',
      '5,bad_date',
      '6,high_below_low',
      '7,price_not_positive_finite',
      '8,volume_negative_or_nan',
      '9,no_industry',
      '10,bad_instrument',
      '11,factor_not_positive_finite',
      '12,ohlc_inconsistent',
    ]);
    expect(lines[1]).toBe('5,bad_date,"2020-02-30,BBB,5,6,4,5,100,1,Energy"');
  });

  it('names the missing columns of a parquet bar file', async () => {
    const path = join(tmp.dir, 'short.parquet');
    await writeParquet(path, {
      length: 1,
      columns: [{ name: 'date', type: 'date', values: Int32Array.of(18000) }],
    });
    await expect(loadBars({ kind: 'parquet', path }, { region: 'us' })).rejects.toThrow(
      /lacks column\(s\) instrument, open, high, low, close, volume/,
    );
  });
});

describe('qlib source', () => {
  const tmp = tempDir('qlib-rejects');
  afterAll(tmp.cleanup);
  beforeAll(() =>
    writeFileSync(
      join(tmp.dir, 'ind.csv'),
      'instrument,industry\nSH600000,Banking\nSZ000001,Banking\nSZ300001,Electronics\n',
    ),
  );

  async function smallQlibDir(name: string): Promise<string> {
    const base = await loadBars({ kind: 'csv', path: join(FIXTURES, 'bars-small.csv') }, { region: 'cn' });
    const dir = join(tmp.dir, name);
    writeQlibDir(base.panel, dir);
    return dir;
  }

  it('treats all-NaN dates as no bar and rejects partial or bad ones', async () => {
    const dir = await smallQlibDir('bad');
    // SZ000001 has bars on all 5 dates; break some of them in its float32 files (value k sits at byte 4 + 4k).
    const patch = (field: string, k: number, v: number): void => {
      const path = join(dir, 'features', 'sz000001', `${field}.day.bin`);
      const b = readFileSync(path);
      b.writeFloatLE(v, 4 + 4 * k);
      writeFileSync(path, b);
    };
    patch('open', 1, NaN); // partial NaN: a bad row
    patch('high', 2, 1); // high below low
    patch('volume', 3, -1); // negative volume
    for (const f of ['open', 'high', 'low', 'close', 'volume', 'amount', 'shares_out']) patch(f, 4, NaN); // no bar at all
    const industryTable = join(dir, 'industry.csv');
    writeFileSync(
      industryTable,
      'instrument,start_date,end_date,industry\nSH600000,2021-01-01,,Banking\nSZ000001,2021-01-01,,Banking\nSZ300001,2021-03-01,2021-03-03,Electronics\n',
    );
    const rejectsPath = join(dir, 'rejects.csv');
    const res = await loadBars(
      { kind: 'qlib', dir, market: 'all' },
      { region: 'cn', industryTable, maxRejectRatio: 1, rejectsPath },
    );
    expect(readFileSync(rejectsPath, 'utf8')).toContain(
      ',price_not_positive_finite,"2021-03-02,SZ000001,NaN,21,20,20.75,650000,13487500"\n',
    );
    expect(res.rejects.rowsRead).toBe(12);
    expect(res.rejects.byReason).toMatchObject({
      price_not_positive_finite: 1,
      high_below_low: 1,
      volume_negative_or_nan: 1,
      no_industry: 2,
    });
    expect(res.panel.length).toBe(12 - 5);
    expect(res.panel.instruments).toEqual(['SH600000', 'SZ000001', 'SZ300001']);
  });

  it('an index market file reads the whole history of its instruments; its spans (overlaps merged) become the membership', async () => {
    const dir = await smallQlibDir('spans');
    writeFileSync(
      join(dir, 'instruments', 'overlap.txt'),
      'SH600000\t2021-03-01\t2021-03-03\nSH600000\t2021-03-02\t2021-03-04\nSZ000001\t2021-03-04\t2021-03-31\n',
    );
    const res = await loadBars(
      { kind: 'qlib', dir, market: 'overlap' },
      { region: 'cn', industryTable: join(dir, '..', 'ind.csv') },
    );
    expect(res.rejects.rowsRead).toBe(4 + 5);
    expect(res.panel.instruments).toEqual(['SH600000', 'SZ000001']);
    const oracle = res.membership!.forPanel(res.panel);
    const members = panelRows(res.panel)
      .filter((_, r) => oracle.isMember(res.panel.instrument[r], res.panel.date[r]))
      .map((r) => `${r[0]} ${r[1]}`);
    expect(members).toEqual([
      '2021-03-01 SH600000',
      '2021-03-02 SH600000',
      '2021-03-03 SH600000',
      '2021-03-04 SZ000001',
      '2021-03-05 SZ000001',
    ]);
    expect(res.outsideUniverse).toBe(9 - 5);
  });

  it('market "all" is the list of instruments, not an index: no membership, only dates inside its spans', async () => {
    const dir = await smallQlibDir('all-spans');
    writeFileSync(join(dir, 'instruments', 'all.txt'), 'SH600000\t2021-03-02\t2021-03-03\n');
    const res = await loadBars(
      { kind: 'qlib', dir, market: 'all' },
      { region: 'cn', industryTable: join(dir, '..', 'ind.csv') },
    );
    expect(res.membership).toBeNull();
    expect(panelRows(res.panel).map((r) => `${r[0]} ${r[1]}`)).toEqual([
      '2021-03-02 SH600000',
      '2021-03-03 SH600000',
    ]);
  });

  it('refuses a membership table together with an index market file', async () => {
    const dir = await smallQlibDir('both');
    writeFileSync(join(dir, 'instruments', 'csi.txt'), 'SH600000\t2021-03-01\t2021-03-03\n');
    const universeTable = join(dir, 'members.csv');
    writeFileSync(universeTable, 'instrument,start_date,end_date\nSH600000,2021-03-01,\n');
    await expect(
      loadBars(
        { kind: 'qlib', dir, market: 'csi' },
        { region: 'cn', industryTable: join(dir, '..', 'ind.csv'), universeTable },
      ),
    ).rejects.toThrow(/both a membership table .* and the Qlib market file .* define the universe; use one/);
  });

  it('explains what is missing: industry table, market file, field file', async () => {
    const dir = await smallQlibDir('missing');
    const industryTable = join(FIXTURES, 'industry-static.csv');
    await expect(loadBars({ kind: 'qlib', dir, market: 'all' }, { region: 'cn' })).rejects.toThrow(
      /carries no industry; pass an industry table/,
    );
    await expect(
      loadBars({ kind: 'qlib', dir, market: 'csi300' }, { region: 'cn', industryTable }),
    ).rejects.toThrow(/csi300\.txt is not readable \(market "csi300"\)/);
    mkdirSync(join(dir, 'features', 'zz000009'));
    writeFileSync(join(dir, 'instruments', 'odd.txt'), 'ZZ000009\t2021-03-01\t2021-03-05\n');
    await expect(
      loadBars({ kind: 'qlib', dir, market: 'odd' }, { region: 'cn', industryTable }),
    ).rejects.toThrow(InputError);
    await expect(
      loadBars({ kind: 'qlib', dir, market: 'odd' }, { region: 'cn', industryTable }),
    ).rejects.toThrow(/open\.day\.bin is missing for instrument ZZ000009/);
  });
});
