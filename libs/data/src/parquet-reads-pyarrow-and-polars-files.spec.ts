/**
 * The Parquet reader (DuckDB) on files written in the test set-up by
 * pyarrow, pandas and polars (libs/data/scripts/parquet_fixtures.py, run with
 * the fixture Python of `npm run setup -- --test`): every codec (snappy,
 * zstd — polars' default —, gzip, lz4, brotli, none), dictionary, PLAIN,
 * DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY, DELTA_LENGTH_BYTE_ARRAY and
 * BYTE_STREAM_SPLIT encodings, data pages v1 and v2, timestamps in s, ms,
 * µs, ns, with a zone and as INT96, nulls in every type. Values must equal
 * what Python wrote (types-expected.json, from pyarrow's own to_pylist).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBars } from './load-bars';
import { readParquet, readParquetBatches, readParquetSchema } from './parquet.reader';
import type { ParquetColumn } from './parquet.types';
import { FIXTURES, panelRows, runPython, tempDir } from './test-helpers';

const EXPECTED_TYPES: Record<string, ParquetColumn['type']> = {
  i8: 'int32',
  i32: 'int32',
  i64: 'int64',
  u32: 'int64',
  f32: 'float',
  f64: 'double',
  flag: 'boolean',
  name: 'string',
  day: 'date',
  ts_s: 'timestamp',
  ts_ms: 'timestamp',
  ts_us: 'timestamp',
  ts_ns: 'timestamp',
  ts_tz: 'timestamp',
};

function values(c: ParquetColumn, n: number): (number | string | boolean | null)[] {
  const out: (number | string | boolean | null)[] = [];
  for (let i = 0; i < n; i++) {
    if (c.type === 'string') out.push(c.codes[i] < 0 ? null : c.dictionary[c.codes[i]]);
    else if (c.type === 'double' || c.type === 'float')
      out.push(Number.isNaN(c.values[i]) ? null : c.values[i]);
    else if (c.nulls !== null && c.nulls[i] === 1) out.push(null);
    else if (c.type === 'boolean') out.push(c.values[i] === 1);
    else out.push(c.values[i]);
  }
  return out;
}

describe('parquet reader on files pyarrow, pandas and polars write', () => {
  const tmp = tempDir('parquet-python');
  afterAll(tmp.cleanup);
  let variants: Record<string, string> = {};
  let expected: Record<string, (number | string | boolean | null)[]> = {};
  beforeAll(() => {
    runPython('parquet_fixtures.py', [tmp.dir, join(FIXTURES, 'bars-small.csv')]);
    variants = JSON.parse(readFileSync(join(tmp.dir, 'variants.json'), 'utf8')) as Record<string, string>;
    expected = JSON.parse(readFileSync(join(tmp.dir, 'types-expected.json'), 'utf8')) as typeof expected;
  }, 120_000);

  it('covers the variants the issue names', () => {
    expect(Object.keys(variants)).toEqual(
      expect.arrayContaining([
        'pyarrow-default',
        'pyarrow-zstd',
        'pyarrow-gzip',
        'pyarrow-lz4',
        'pyarrow-delta',
        'pyarrow-delta-length',
        'pyarrow-int96',
        'pyarrow-v2-pages',
        'pandas-default',
        'polars-default',
      ]),
    );
  });

  it('reads every variant with the values and types Python wrote', async () => {
    for (const variant of Object.keys(variants)) {
      const table = await readParquet(join(tmp.dir, `types-${variant}.parquet`), {
        columns: Object.keys(EXPECTED_TYPES),
      });
      expect({ variant, length: table.length }).toEqual({ variant, length: 3000 });
      for (const c of table.columns) {
        // pandas holds integer columns with nulls as float64, and writes them so.
        const type =
          variant === 'pandas-default' && (c.name === 'i8' || c.name === 'i32') ? 'double' : EXPECTED_TYPES[c.name];
        expect({ variant, column: c.name, type: c.type }).toEqual({ variant, column: c.name, type });
        expect({ variant, column: c.name, values: values(c, table.length) }).toEqual({
          variant,
          column: c.name,
          values: expected[c.name],
        });
      }
    }
  });

  it('reads in batches that add up to the file, and reports its schema without reading data', async () => {
    const path = join(tmp.dir, 'types-polars-default.parquet');
    const schema = await readParquetSchema(path);
    expect(schema.numRows).toBe(3000);
    expect(schema.columns.find((c) => c.name === 'ts_ns')?.type).toBe('timestamp');
    const seen: number[] = [];
    const progress: number[] = [];
    const { numRows } = await readParquetBatches(
      path,
      { columns: ['i32', 'name'], batchRows: 700, onProgress: (done) => progress.push(done) },
      (table, firstRow) => {
        seen.push(firstRow, table.length);
        expect(values(table.columns[0], table.length)).toEqual(
          expected.i32.slice(firstRow, firstRow + table.length),
        );
        expect(values(table.columns[1], table.length)).toEqual(
          expected.name.slice(firstRow, firstRow + table.length),
        );
      },
    );
    expect(numRows).toBe(3000);
    expect(seen).toEqual([0, 700, 700, 700, 1400, 700, 2100, 700, 2800, 200]);
    expect(progress[progress.length - 1]).toBe(3000);
  });

  it('names the columns when one is unknown, and refuses a file that is not parquet', async () => {
    await expect(
      readParquet(join(tmp.dir, 'types-pyarrow-default.parquet'), { columns: ['nope'] }),
    ).rejects.toThrow(/has no column "nope"; it has i8, i32/);
    await expect(readParquet(join(FIXTURES, 'bars-small.csv'))).rejects.toThrow(
      /cannot read parquet file .*bars-small\.csv: it is not a parquet file or it is damaged/,
    );
    await expect(readParquet(join(tmp.dir, 'nope.parquet'))).rejects.toThrow(
      /it does not exist or is not readable/,
    );
  });

  it('loads pandas, polars and pyarrow (v2 pages, gzip, a null amount) bar files like the CSV', async () => {
    const options = { region: 'cn' as const };
    const csv = await loadBars({ kind: 'csv', path: join(FIXTURES, 'bars-small.csv') }, options);
    for (const file of ['bars-pandas.parquet', 'bars-polars.parquet']) {
      const loaded = await loadBars({ kind: 'parquet', path: join(tmp.dir, file) }, options);
      expect(loaded.hasAmount && loaded.hasSharesOut).toBe(true);
      expect({ file, rows: panelRows(loaded.panel) }).toEqual({ file, rows: panelRows(csv.panel) });
    }
    const v2 = await loadBars(
      { kind: 'parquet', path: join(tmp.dir, 'bars-pyarrow-v2-gzip.parquet') },
      options,
    );
    const rows = panelRows(csv.panel);
    // The fixture nulls the amount of file row 3 (SZ000001 on 2021-03-01): it reads back as NaN.
    const k = rows.findIndex((r) => r[0] === '2021-03-01' && r[1] === 'SZ000001');
    rows[k][8] = NaN;
    expect(panelRows(v2.panel)).toEqual(rows);
  });
});
