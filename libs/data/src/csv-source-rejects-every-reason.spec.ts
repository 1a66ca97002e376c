import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@alphafeed/core';
import { loadBars } from './load-bars';
import { FIXTURES, panelRows, tempDir } from './test-helpers';

describe('csv source with bad rows', () => {
  const tmp = tempDir('csv-rejects');
  afterAll(tmp.cleanup);
  const spec = { kind: 'csv', path: join(FIXTURES, 'bars-with-rejects.csv') } as const;
  const industryTable = join(FIXTURES, 'industry-static.csv');

  it('keeps the good rows sorted by (date, instrument) and counts each reason', async () => {
    const rejectsPath = join(tmp.dir, 'rejects.csv');
    const res = await loadBars(spec, { region: 'us', industryTable, maxRejectRatio: 1, rejectsPath });
    expect(res.panel.calendar).toEqual([
      '2020-01-02',
      '2020-01-03',
      '2020-01-06',
      '2020-01-08',
      '2020-01-09',
      '2020-01-10',
    ]);
    expect(res.panel.instruments).toEqual(['AAA', 'BBB']);
    expect(res.panel.industries).toEqual(['Oil, Gas & Fuels', 'Software']);
    expect(panelRows(res.panel)).toEqual([
      ['2020-01-02', 'AAA', 'Software', 20, 21, 19, 20.5, 2000],
      ['2020-01-02', 'BBB', 'Oil, Gas & Fuels', 10, 11, 9.5, 10.5, 1000],
      ['2020-01-03', 'AAA', 'Software', 20.5, 22, 20, 21, 3000],
      ['2020-01-03', 'BBB', 'Oil, Gas & Fuels', 10.5, 11, 10, 10.75, 1500],
      ['2020-01-06', 'AAA', 'Software', 21, 21.5, 20.5, 21.25, 2500],
      ['2020-01-06', 'BBB', 'Oil, Gas & Fuels', 10.75, 11.25, 10.5, 11, 1200],
      ['2020-01-08', 'AAA', 'Software', 21, 21.5, 20.5, 21.25, 5],
      ['2020-01-09', 'AAA', 'Software', 21, 21.5, 20.5, 21.25, 5],
      ['2020-01-10', 'BBB', 'Oil, Gas & Fuels', 10.75, 11.75, 10.5, 11.5, 1200],
    ]);
    expect(res.hasAmount).toBe(false);
    expect(res.hasSharesOut).toBe(false);
    expect(res.rejects.rowsRead).toBe(23);
    expect(res.rejects.rejected).toBe(14);
    expect(res.rejects.byReason).toEqual({
      missing_fields: 1,
      bad_date: 1,
      date_out_of_range: 0,
      bad_instrument: 1,
      instrument_not_allowed: 0,
      bad_number: 1,
      price_not_positive_finite: 2,
      high_below_low: 1,
      ohlc_inconsistent: 2,
      volume_negative_or_nan: 2,
      amount_or_shares_out_negative: 0,
      factor_not_positive_finite: 0,
      value_out_of_range: 0,
      no_industry: 1,
      duplicate_key: 2,
    });
    expect(res.rejects.path).toBe(rejectsPath);
    const lines = readFileSync(rejectsPath, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('line,reason,raw');
    const byLine = new Map(lines.slice(1).map((l) => [Number(l.split(',')[0]), l.split(',')[1]]));
    expect([...byLine.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [8, 'price_not_positive_finite'],
      [9, 'high_below_low'],
      [10, 'volume_negative_or_nan'],
      [13, 'duplicate_key'],
      [14, 'bad_date'],
      [15, 'no_industry'],
      [16, 'bad_number'],
      [18, 'missing_fields'],
      [19, 'ohlc_inconsistent'],
      [20, 'bad_instrument'],
      [21, 'volume_negative_or_nan'],
      [22, 'ohlc_inconsistent'],
      [23, 'price_not_positive_finite'],
      [24, 'duplicate_key'],
    ]);
    expect(lines).toContain('14,bad_date,"2020-13-09,BBB,10.75,11.25,10.5,11,1200,x"');
  });

  it('refuses the file when the reject ratio is above the threshold, naming ratio, threshold and option', async () => {
    const load = loadBars(spec, { region: 'us', industryTable, rejectsPath: join(tmp.dir, 'r2.csv') });
    await expect(load).rejects.toThrow(InputError);
    await expect(load).rejects.toThrow(
      /14 of 23 rows were rejected \(ratio 0\.6087 > maxRejectRatio 0\.01\).*maxRejectRatio/,
    );
  });

  it('rejects every row of an instrument with no industry anywhere', async () => {
    const path = join(tmp.dir, 'partly-industry.csv');
    writeFileSync(
      path,
      'date,instrument,open,high,low,close,volume,industry\n' +
        '2020-01-02,A,1,1,1,1,1,Banks\n2020-01-02,B,1,1,1,1,1,\n2020-01-03,A,1,1,1,1,1,Banks\n2020-01-03,B,1,1,1,1,1,\n',
    );
    const res = await loadBars({ kind: 'csv', path }, { region: 'us', maxRejectRatio: 1 });
    expect(res.rejects.byReason.no_industry).toBe(2);
    expect(res.panel.instruments).toEqual(['A']);
    expect(res.rejects.path).toBeNull();
  });

  it('refuses an input where nothing is accepted', async () => {
    await expect(loadBars(spec, { region: 'us', maxRejectRatio: 1 })).rejects.toThrow(
      /no bar was accepted out of 23 rows/,
    );
  });

  it('names the missing columns when the header lacks required ones', async () => {
    const path = join(tmp.dir, 'no-volume.csv');
    writeFileSync(path, 'date,instrument,open,high,low,close\n2020-01-02,A,1,1,1,1\n');
    await expect(loadBars({ kind: 'csv', path }, { region: 'us' })).rejects.toThrow(
      /lacks column\(s\) volume/,
    );
  });
});
