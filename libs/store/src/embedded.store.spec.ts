import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIsoDay, parseIsoDay, Rng } from '@alphafeed/core';
import { EmbeddedStore } from './embedded.store';
import { StoreError } from './errors';
import type { KeyedColumns, TableSpec } from './store.port';

const FEATURES: TableSpec = {
  name: 'features',
  columns: [
    { name: 'a', kind: 'double' },
    { name: 'b', kind: 'double' },
  ],
  tags: ['config_hash'],
  extraKeys: [],
};
const ALPHAS: TableSpec = {
  name: 'alphas',
  columns: [
    { name: 'alpha', kind: 'double' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['model_version', 'config_hash'],
  extraKeys: ['model_version'],
};

const D0 = parseIsoDay('2024-01-02');
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'embedded-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Rows from (isoDate, instrument, a, b) tuples; instruments in order of appearance (deliberately unsorted). */
function rows(
  region: string,
  data: [string, string, number, number][],
  tags?: Record<string, string>,
): KeyedColumns {
  const instruments: string[] = [];
  const instrument = new Int32Array(data.length);
  data.forEach(([, ins], i) => {
    let k = instruments.indexOf(ins);
    if (k < 0) k = instruments.push(ins) - 1;
    instrument[i] = k;
  });
  return {
    region,
    length: data.length,
    date: Int32Array.from(data, ([d]) => parseIsoDay(d)),
    instrument,
    instruments,
    columns: { a: Float64Array.from(data, (r) => r[2]), b: Float64Array.from(data, (r) => r[3]) },
    ...(tags === undefined ? {} : { tags }),
  };
}

/** A read result as sorted tuples, for readable comparisons. */
function tuples(k: KeyedColumns, cols = ['a', 'b']): (string | number)[][] {
  return Array.from({ length: k.length }, (_, i) => [
    formatIsoDay(k.date[i]),
    k.instruments[k.instrument[i]],
    ...cols.map((c) => k.columns[c][i]),
  ]);
}

async function open(
  path = join(dir, 'store.afs'),
  sync: 'write' | 'flush' = 'write',
): Promise<EmbeddedStore> {
  const s = await EmbeddedStore.open({ path, sync });
  await s.ensureTables([FEATURES, ALPHAS]);
  return s;
}

describe('EmbeddedStore', () => {
  it('round-trips rows sorted by (date, instrument), keeping NaN and tags', async () => {
    const s = await open();
    await s.write(
      'features',
      rows(
        'us',
        [
          ['2024-01-03', 'MSFT', 1, NaN],
          ['2024-01-02', 'MSFT', 2, 3],
          ['2024-01-03', 'AAPL', NaN, 4],
          ['2024-01-02', 'AAPL', 5, -0],
        ],
        { config_hash: 'h1' },
      ),
    );
    const back = await s.read('features', { region: 'us' });
    expect(back.instruments).toEqual(['AAPL', 'MSFT']);
    expect(tuples(back)).toEqual([
      ['2024-01-02', 'AAPL', 5, -0],
      ['2024-01-02', 'MSFT', 2, 3],
      ['2024-01-03', 'AAPL', NaN, 4],
      ['2024-01-03', 'MSFT', 1, NaN],
    ]);
    expect(back.tags).toEqual({ config_hash: 'h1' });
    expect(back.region).toBe('us');
    expect((await s.read('features', { region: 'eu' })).length).toBe(0);
    await s.close();
  });

  it('is idempotent: writing the same rows twice leaves one copy', async () => {
    const s = await open();
    const batch = rows('us', [
      ['2024-01-02', 'A', 1, 2],
      ['2024-01-02', 'B', 3, 4],
    ]);
    await s.write('features', batch);
    await s.write('features', batch);
    expect(tuples(await s.read('features', { region: 'us' }))).toEqual([
      ['2024-01-02', 'A', 1, 2],
      ['2024-01-02', 'B', 3, 4],
    ]);
    await s.close();
  });

  it('upserts: the last write of a key wins, within a batch too, and missing columns become NaN', async () => {
    const s = await open();
    await s.write(
      'features',
      rows(
        'us',
        [
          ['2024-01-02', 'A', 1, 2],
          ['2024-01-02', 'B', 3, 4],
        ],
        { config_hash: 'old' },
      ),
    );
    await s.write(
      'features',
      rows(
        'us',
        [
          ['2024-01-02', 'A', 10, 20],
          ['2024-01-02', 'A', 11, 21],
        ],
        { config_hash: 'new' },
      ),
    );
    const onlyA = { ...rows('us', [['2024-01-02', 'B', 0, 0]]), columns: { a: Float64Array.of(30) } };
    await s.write('features', onlyA);
    const back = await s.read('features', { region: 'us' });
    expect(tuples(back)).toEqual([
      ['2024-01-02', 'A', 11, 21],
      ['2024-01-02', 'B', 30, NaN],
    ]);
    // B's last write had no tags, A's had config_hash=new: the tag varies, so it is not reported as shared.
    expect(back.tags).toEqual({});
    expect((await s.read('features', { region: 'us', tags: { config_hash: 'new' } })).length).toBe(1);
    await s.close();
  });

  it('keeps one row per extra key and needs that key to read unambiguously', async () => {
    const s = await open();
    const alpha = (v: string, value: number, revision: number): KeyedColumns => ({
      region: 'us',
      length: 1,
      date: Int32Array.of(D0),
      instrument: Int32Array.of(0),
      instruments: ['A'],
      columns: { alpha: Float64Array.of(value), revision: Float64Array.of(revision) },
      tags: { model_version: v, config_hash: 'c' },
    });
    await s.write('alphas', alpha('m1', 0.1, 0));
    await s.write('alphas', alpha('m2', 0.2, 0));
    await s.write('alphas', alpha('m1', 0.15, 1));
    const m1 = await s.read('alphas', { region: 'us', tags: { model_version: 'm1' } });
    expect(tuples(m1, ['alpha', 'revision'])).toEqual([['2024-01-02', 'A', 0.15, 1]]);
    expect(m1.tags).toEqual({ model_version: 'm1', config_hash: 'c' });
    expect(
      tuples(await s.read('alphas', { region: 'us', tags: { model_version: 'm2' } }), ['alpha', 'revision']),
    ).toEqual([['2024-01-02', 'A', 0.2, 0]]);
    await expect(s.read('alphas', { region: 'us' })).rejects.toThrow(
      /several model_version values; add tags: \{ model_version: \.\.\. \}/,
    );
    await expect(s.write('alphas', { ...alpha('m1', 1, 1), tags: { config_hash: 'c' } })).rejects.toThrow(
      /dedup key tag model_version is required/,
    );
    await s.close();
  });

  it('filters by inclusive date range, region and tag', async () => {
    const s = await open();
    const days = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
    await s.write(
      'features',
      rows(
        'us',
        days.map((d, i) => [d, 'A', i, i]),
        { config_hash: 'h' },
      ),
    );
    await s.write(
      'features',
      rows(
        'eu',
        days.map((d, i) => [d, 'A', -i, -i]),
        { config_hash: 'h' },
      ),
    );
    const mid = await s.read('features', { region: 'us', from: '2024-01-03', to: '2024-01-04' });
    expect(tuples(mid)).toEqual([
      ['2024-01-03', 'A', 1, 1],
      ['2024-01-04', 'A', 2, 2],
    ]);
    expect((await s.read('features', { region: 'us', from: '2024-01-05' })).length).toBe(1);
    expect((await s.read('features', { region: 'us', to: '2024-01-02' })).length).toBe(1);
    expect((await s.read('features', { region: 'us', tags: { config_hash: 'other' } })).length).toBe(0);
    expect((await s.read('features', { region: 'eu', tags: { config_hash: 'h' } })).columns.a[3]).toBe(-3);
    await expect(s.read('features', { region: 'us', from: '2024-13-01' })).rejects.toThrow(
      /from must be an ISO date YYYY-MM-DD, got "2024-13-01"/,
    );
    await expect(s.read('features', { region: 'us', tags: { nope: 'x' } })).rejects.toThrow(
      /unknown tag "nope"/,
    );
    await s.close();
  });

  it('persists across close and reopen, with appends after reopen', async () => {
    const path = join(dir, 'sub', 'store.afs');
    let s = await open(path);
    await s.write('features', rows('us', [['2024-01-02', 'A', 1, NaN]], { config_hash: 'h' }));
    await s.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
    s = await open(path);
    await s.write('features', rows('us', [['2024-01-03', 'B', 2, 3]], { config_hash: 'h' }));
    await s.write('features', rows('us', [['2024-01-02', 'A', 5, 6]], { config_hash: 'h' }));
    await s.close();
    s = await open(path);
    const back = await s.read('features', { region: 'us' });
    expect(tuples(back)).toEqual([
      ['2024-01-02', 'A', 5, 6],
      ['2024-01-03', 'B', 2, 3],
    ]);
    expect(back.tags).toEqual({ config_hash: 'h' });
    await s.close();
  });

  it('compacts a mostly overwritten log on close and reads the same afterwards', async () => {
    const path = join(dir, 'store.afs');
    let s = await open(path, 'flush');
    const many = Array.from({ length: 200 }, (_, i): [string, string, number, number] => [
      '2024-01-02',
      `I${i}`,
      i,
      NaN,
    ]);
    for (let r = 0; r < 10; r++)
      await s.write(
        'features',
        rows(
          'us',
          many.map(([d, k, a]) => [d, k, a + r, NaN]),
          { config_hash: `h${r % 2}` },
        ),
      );
    await s.flush();
    const before = statSync(path).size;
    await s.close();
    expect(statSync(path).size).toBeLessThan(before / 5);
    s = await open(path);
    const back = await s.read('features', { region: 'us' });
    expect(back.length).toBe(200);
    expect(back.columns.a[0]).toBe(9);
    expect(back.tags).toEqual({ config_hash: 'h1' });
    await s.close();
  });

  it('cuts a torn last record and refuses a corrupt one in the middle', async () => {
    const path = join(dir, 'store.afs');
    let s = await open(path);
    await s.write('features', rows('us', [['2024-01-02', 'A', 1, 2]]));
    await s.write('features', rows('us', [['2024-01-03', 'A', 1, 2]]));
    await s.close();
    const good = readFileSync(path);
    appendFileSync(path, good.subarray(0, 30));
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    s = await open(path);
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/cut a torn record/));
    stderr.mockRestore();
    expect((await s.read('features', { region: 'us' })).length).toBe(2);
    await s.close();
    expect(statSync(path).size).toBe(good.length);

    const corrupt = Buffer.from(good);
    corrupt[good.length - 200] ^= 0xff;
    writeFileSync(path, Buffer.concat([corrupt, good]));
    await expect(EmbeddedStore.open({ path })).rejects.toThrow(/corrupt at byte \d+: checksum mismatch/);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('refuses a second open of the same file, unknown tables and changed specs', async () => {
    const path = join(dir, 'store.afs');
    const s = await open(path);
    await expect(EmbeddedStore.open({ path })).rejects.toThrow(/already open in this process/);
    await expect(s.write('nope', rows('us', []))).rejects.toThrow(
      /unknown table "nope"; call ensureTables first/,
    );
    await expect(s.ensureTables([{ ...FEATURES, tags: [] }])).rejects.toThrow(StoreError);
    await s.ensureTables([FEATURES]);
    await expect(
      s.write('features', {
        ...rows('us', [['2024-01-02', 'A', 1, 2]]),
        columns: { zzz: Float64Array.of(1) },
      }),
    ).rejects.toThrow(/unknown column "zzz"/);
    await expect(
      s.write('features', { ...rows('us', [['2024-01-02', 'A', 1, 2]]), instrument: Int32Array.of(3) }),
    ).rejects.toThrow(/instrument index 3/);
    await s.close();
    await expect(s.read('features', { region: 'us' })).rejects.toThrow(/closed/);
  });

  it('agrees with a naive map of last writes under random upserts (in memory and after reopen)', async () => {
    const rng = new Rng(7);
    const path = join(dir, 'store.afs');
    const s = await open(path, 'flush');
    const naive = new Map<string, [number, string, number, number]>();
    for (let w = 0; w < 60; w++) {
      const n = rng.int(40);
      const data: [string, string, number, number][] = [];
      for (let i = 0; i < n; i++) {
        const day = D0 + rng.int(15);
        const ins = `I${rng.int(12)}`;
        const a = rng.uniform() < 0.1 ? NaN : rng.normal();
        data.push([formatIsoDay(day), ins, a, w]);
        naive.set(`${day}|${ins}`, [day, ins, a, w]);
      }
      await s.write('features', rows('us', data));
    }
    const expected = [...naive.values()]
      .sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0))
      .map(([d, ins, a, b]) => [formatIsoDay(d), ins, a, b]);
    expect(tuples(await s.read('features', { region: 'us' }))).toEqual(expected);
    await s.close();
    const again = await open(path);
    expect(tuples(await again.read('features', { region: 'us' }))).toEqual(expected);
    await again.close();
  });

  it('works with no file at all', async () => {
    const s = await EmbeddedStore.open();
    await s.ensureTables([FEATURES]);
    await s.write('features', rows('us', [['2024-01-02', 'A', 1, 2]]));
    await s.flush();
    expect((await s.read('features', { region: 'us' })).length).toBe(1);
    await s.close();
    await s.close();
  });
});
