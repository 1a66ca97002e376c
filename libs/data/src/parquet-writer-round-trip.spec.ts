import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@alphafeed/core';
import { readParquet } from './parquet.reader';
import { writeParquet } from './parquet.writer';
import { runPython, tempDir } from './test-helpers';

describe('parquet writer (DuckDB)', () => {
  const tmp = tempDir('parquet-writer');
  afterAll(tmp.cleanup);

  function sampleTable(n: number) {
    const rng = new Rng(3);
    const f64 = Float64Array.from({ length: n }, () => rng.normal() * 1e3);
    f64[1] = NaN;
    f64[2] = -0;
    const f32 = Float32Array.from({ length: n }, () => rng.normal());
    const i32 = Int32Array.from({ length: n }, () => rng.int(2 ** 31) - 2 ** 30);
    const day = Int32Array.from({ length: n }, (_, i) => 18_000 + Math.floor(i / 7)); // runs, as a date-sorted panel
    const dictionary = ['alpha', 'beta', 'γάμμα', "delta,with 'quotes'", ''];
    const codes = Int32Array.from({ length: n }, (_, i) => (i % 100 < 60 ? 1 : rng.int(dictionary.length)));
    const text = Array.from({ length: n }, (_, i) => `t${i % 13}`);
    return {
      length: n,
      columns: [
        { name: 'f64', type: 'double', values: f64 },
        { name: 'f32', type: 'float', values: f32 },
        { name: 'i32', type: 'int32', values: i32 },
        { name: 'day', type: 'date', values: day },
        { name: 'coded', type: 'string', codes, dictionary },
        { name: 'text', type: 'string', values: text },
      ],
    } as const;
  }

  it.each(['none', 'snappy', 'zstd'] as const)(
    'reads back exactly what it wrote, over several row groups (%s)',
    async (compression) => {
      const table = sampleTable(10_007);
      const path = join(tmp.dir, `round-${compression}.parquet`);
      await writeParquet(path, table, { rowGroupSize: 4096, compression });
      const back = await readParquet(path);
      expect(back.length).toBe(table.length);
      const [f64, f32, i32, day, coded, text] = back.columns;
      expect(
        f64.type === 'double' &&
          Buffer.from(f64.values.buffer).equals(Buffer.from(table.columns[0].values.buffer)),
      ).toBe(true);
      expect(
        f32.type === 'float' &&
          Buffer.from(f32.values.buffer).equals(Buffer.from(table.columns[1].values.buffer)),
      ).toBe(true);
      expect(i32.type === 'int32' && [...i32.values]).toEqual([...table.columns[2].values]);
      expect(day.type === 'date' && [...day.values]).toEqual([...table.columns[3].values]);
      const decode = (c: (typeof back.columns)[number]) =>
        c.type === 'string' ? [...c.codes].map((k) => c.dictionary[k]) : [];
      expect(decode(coded)).toEqual([...table.columns[4].codes].map((k) => table.columns[4].dictionary[k]));
      expect(decode(text)).toEqual(table.columns[5].values);
    },
  );

  it('writes files pyarrow reads with the same values, types and row groups', async () => {
    const table = sampleTable(5000);
    const path = join(tmp.dir, 'for-pyarrow.parquet');
    await writeParquet(path, table, { rowGroupSize: 2048 });
    runPython('parquet_dump.py', [path, join(tmp.dir, 'dump.json')]);
    const dump = JSON.parse(readFileSync(join(tmp.dir, 'dump.json'), 'utf8')) as {
      schema: Record<string, string>;
      columns: Record<string, unknown[]>;
      row_groups: number;
    };
    expect(dump.schema).toMatchObject({ f64: 'double', f32: 'float', i32: 'int32', day: 'date32[day]' });
    expect(dump.schema.coded).toMatch(/string/);
    expect(dump.row_groups).toBeGreaterThan(1);
    expect(dump.columns.f64).toEqual(
      Array.from(table.columns[0].values, (v) => (Number.isNaN(v) ? 'NaN' : v)),
    );
    expect(dump.columns.i32).toEqual([...table.columns[2].values]);
    expect(dump.columns.day).toEqual([...table.columns[3].values]);
    expect(dump.columns.coded).toEqual(
      [...table.columns[4].codes].map((k) => table.columns[4].dictionary[k]),
    );
    expect(dump.columns.text).toEqual(table.columns[5].values);
  });

  it('writes atomically: no temporary file is left, and a failed write leaves the old file alone', async () => {
    const path = join(tmp.dir, 'atomic.parquet');
    await writeParquet(path, sampleTable(10));
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const bad = {
      length: 10,
      columns: [{ name: 'x', type: 'string', codes: new Int32Array(10).fill(9), dictionary: ['a'] }],
    } as const;
    await expect(writeParquet(path, bad)).rejects.toThrow(/code 9 outside its dictionary of 1/);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(existsSync(path) && (await readParquet(path)).columns.length).toBe(6);
  });

  it('writes an empty table', async () => {
    const path = join(tmp.dir, 'empty.parquet');
    await writeParquet(path, {
      length: 0,
      columns: [{ name: 'x', type: 'double', values: new Float64Array(0) }],
    });
    expect((await readParquet(path)).length).toBe(0);
  });

  it('refuses columns whose length differs from the table', async () => {
    await expect(
      writeParquet(join(tmp.dir, 'x.parquet'), {
        length: 3,
        columns: [{ name: 'x', type: 'double', values: new Float64Array(2) }],
      }),
    ).rejects.toThrow(/column "x" has 2 values for a table of 3 rows/);
  });
});
