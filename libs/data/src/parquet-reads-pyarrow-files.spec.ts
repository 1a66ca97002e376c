import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBars } from './load-bars';
import { readParquet } from './parquet.reader';
import { FIXTURES, panelRows } from './test-helpers';

describe('parquet reader on files written by pyarrow / pandas', () => {
  it('reads every mapped type with nulls, several row groups and pages (snappy, v1 pages)', () => {
    const t = readParquet(join(FIXTURES, 'pyarrow-types-snappy.parquet'));
    const expected = JSON.parse(
      readFileSync(join(FIXTURES, 'pyarrow-types-snappy.expected.json'), 'utf8'),
    ) as Record<string, (number | string | boolean | null)[]>;
    expect(t.length).toBe(1000);
    expect(t.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'i32:int32',
      'i64:int64',
      'f32:float',
      'f64:double',
      'flag:boolean',
      'name:string',
      'day:date',
      'ts_ms:timestamp',
    ]);
    for (const c of t.columns) {
      const want = expected[c.name];
      const got: (number | string | boolean | null)[] = [];
      for (let i = 0; i < t.length; i++) {
        if (c.type === 'string') got.push(c.codes[i] < 0 ? null : c.dictionary[c.codes[i]]);
        else if (c.type === 'double' || c.type === 'float')
          got.push(Number.isNaN(c.values[i]) ? null : c.values[i]);
        else if (c.nulls !== null && c.nulls[i] === 1) got.push(null);
        else if (c.type === 'boolean') got.push(c.values[i] === 1);
        else got.push(c.values[i]);
      }
      expect({ column: c.name, values: got }).toEqual({ column: c.name, values: want });
    }
  });

  it('reads only the requested columns, and names the columns when one is unknown', () => {
    const t = readParquet(join(FIXTURES, 'pyarrow-types-snappy.parquet'), { columns: ['day', 'i32'] });
    expect(t.columns.map((c) => c.name)).toEqual(['day', 'i32']);
    expect(() => readParquet(join(FIXTURES, 'pyarrow-types-snappy.parquet'), { columns: ['nope'] })).toThrow(
      /no column "nope" \(columns: i32, i64/,
    );
  });

  it('refuses a file that is not parquet', () => {
    expect(() => readParquet(join(FIXTURES, 'bars-small.csv'))).toThrow(/not a parquet file/);
  });

  it('loads pandas (timestamp dates, int64, snappy) and pyarrow (date32, v2 pages, gzip, plain strings, a null) bar files like the CSV', async () => {
    const options = { region: 'cn' as const };
    const csv = await loadBars({ kind: 'csv', path: join(FIXTURES, 'bars-small.csv') }, options);
    const pandas = await loadBars(
      { kind: 'parquet', path: join(FIXTURES, 'pandas-bars-snappy.parquet') },
      options,
    );
    expect(pandas.hasAmount).toBe(true);
    expect(pandas.hasSharesOut).toBe(true);
    expect(panelRows(pandas.panel)).toEqual(panelRows(csv.panel));
    expect(pandas.panel.calendar).toEqual(csv.panel.calendar);
    const v2 = await loadBars(
      { kind: 'parquet', path: join(FIXTURES, 'pyarrow-bars-v2-gzip.parquet') },
      options,
    );
    const rows = panelRows(csv.panel);
    // The fixture nulls the amount of file row 3 (SZ000001 on 2021-03-01): it reads back as NaN.
    const k = rows.findIndex((r) => r[0] === '2021-03-01' && r[1] === 'SZ000001');
    rows[k][8] = NaN;
    expect(panelRows(v2.panel)).toEqual(rows);
  });
});
