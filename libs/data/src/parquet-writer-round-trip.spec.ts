import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Rng } from '@alphafeed/core';
import { decodeHybrid, readParquet } from './parquet.reader';
import { encodeDictionaryIndices, writeParquet } from './parquet.writer';
import { snappyCompress, snappyUncompress } from './snappy.codec';
import { tempDir } from './test-helpers';

describe('parquet writer', () => {
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
    const dictionary = ['alpha', 'beta', 'γάμμα', 'delta,with comma', ''];
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

  it.each(['none', 'snappy'] as const)(
    'reads back exactly what it wrote, over several row groups (%s)',
    (compression) => {
      const table = sampleTable(10_007);
      const path = join(tmp.dir, `round-${compression}.parquet`);
      writeParquet(path, table, { rowGroupSize: 3_000, compression });
      const back = readParquet(path);
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
      expect(day.type).toBe('date');
      expect(day.type === 'date' && [...day.values]).toEqual([...table.columns[3].values]);
      const decode = (c: (typeof back.columns)[number]) =>
        c.type === 'string' ? [...c.codes].map((k) => c.dictionary[k]) : [];
      expect(decode(coded)).toEqual([...table.columns[4].codes].map((k) => table.columns[4].dictionary[k]));
      expect(decode(text)).toEqual(table.columns[5].values);
    },
  );

  it('writes atomically: no temporary file is left, and a failed write leaves the old file alone', () => {
    const path = join(tmp.dir, 'atomic.parquet');
    writeParquet(path, sampleTable(10));
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    const bad = {
      length: 10,
      columns: [{ name: 'x', type: 'string', codes: new Int32Array(10).fill(9), dictionary: ['a'] }],
    } as const;
    expect(() => writeParquet(path, bad)).toThrow(/code 9 outside its dictionary of 1/);
    expect(readdirSync(tmp.dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    expect(existsSync(path) && readParquet(path).columns.length).toBe(6);
  });

  it('writes an empty table', () => {
    const path = join(tmp.dir, 'empty.parquet');
    writeParquet(path, { length: 0, columns: [{ name: 'x', type: 'double', values: new Float64Array(0) }] });
    expect(readParquet(path).length).toBe(0);
  });

  it('refuses columns whose length differs from the table', () => {
    expect(() =>
      writeParquet(join(tmp.dir, 'x.parquet'), {
        length: 3,
        columns: [{ name: 'x', type: 'double', values: new Float64Array(2) }],
      }),
    ).toThrow(/column x has 2 values, the table has 3 rows/);
  });
});

describe('RLE / bit-packing hybrid and snappy codecs', () => {
  it('decodes what the encoder writes, for any codes and bit width (runs and mixed)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.tuple(fc.nat(1000), fc.integer({ min: 1, max: 40 })), { maxLength: 60 }),
        (bitWidth, runs) => {
          const max = 2 ** bitWidth;
          const codes = Int32Array.from(
            runs.flatMap(([v, len]) => Array.from({ length: len }, () => v % max)),
          );
          const encoded = encodeDictionaryIndices(codes, bitWidth);
          expect(encoded[0]).toBe(bitWidth);
          const out = new Int32Array(codes.length);
          decodeHybrid(encoded, 1, encoded.length, bitWidth, codes.length, out);
          expect([...out]).toEqual([...codes]);
        },
      ),
    );
  });

  it('snappy round-trips random and repetitive bytes, and compresses repetition', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 0, max: 200 }), (noise, repeats) => {
        const input = new Uint8Array(noise.length + repeats * 7);
        input.set(noise);
        for (let k = 0; k < repeats * 7; k++) input[noise.length + k] = 'abcdefg'.charCodeAt(k % 7);
        expect(Buffer.from(snappyUncompress(snappyCompress(input))).equals(Buffer.from(input))).toBe(true);
      }),
    );
    const big = new Uint8Array(200_000).map((_, i) => i % 251);
    const packed = snappyCompress(big);
    expect(packed.length).toBeLessThan(big.length / 10);
    expect(Buffer.from(snappyUncompress(packed)).equals(Buffer.from(big))).toBe(true);
  });
});
