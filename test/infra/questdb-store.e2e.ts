import { QuestDbStore, type KeyedColumns, type TableSpec } from '@alphafeed/store';
import { parseIsoDay } from '@alphafeed/core';
import { env, unique } from './poll';

/**
 * QuestDbStore against a real server: exact round trip with NaN <-> NULL,
 * DEDUP (same batch twice), upsert (changed value), date and tag filters.
 * Tables are shared by the tests of this file; each test writes its own region.
 */

const FEATURES: TableSpec = {
  name: 'e2e_features',
  columns: [
    { name: 'ret_1d', kind: 'double' },
    { name: 'vol_21d', kind: 'double' },
    { name: 'n_obs', kind: 'long' },
  ],
  tags: ['config_hash'],
  extraKeys: [],
};

const ALPHAS: TableSpec = {
  name: 'e2e_alphas',
  columns: [
    { name: 'alpha_bps', kind: 'double' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['model_version'],
  extraKeys: ['model_version'],
};

const day = (iso: string) => parseIsoDay(iso);

/** Rows given as [date, instrument, ...values], in any order. */
function batch(
  region: string,
  spec: TableSpec,
  rows: [string, string, ...number[]][],
  tags?: Record<string, string>,
): KeyedColumns {
  const instruments = [...new Set(rows.map((r) => r[1]))];
  const columns: Record<string, Float64Array> = {};
  spec.columns.forEach((c, j) => (columns[c.name] = Float64Array.from(rows, (r) => r[2 + j] as number)));
  return {
    region,
    length: rows.length,
    date: Int32Array.from(rows, (r) => day(r[0])),
    instrument: Int32Array.from(rows, (r) => instruments.indexOf(r[1])),
    instruments,
    columns,
    ...(tags === undefined ? {} : { tags }),
  };
}

/** Back to [date, instrument, ...values] rows, for readable comparisons (NaN stays NaN; toEqual treats NaN as equal). */
function rowsOf(spec: TableSpec, k: KeyedColumns): [string, string, ...number[]][] {
  const out: [string, string, ...number[]][] = [];
  for (let i = 0; i < k.length; i++) {
    const d = new Date(k.date[i] * 86_400_000).toISOString().slice(0, 10);
    out.push([d, k.instruments[k.instrument[i]], ...spec.columns.map((c) => k.columns[c.name][i])]);
  }
  return out;
}

async function countRows(table: string, region: string): Promise<number> {
  const sql = `SELECT count() FROM ${table} WHERE region = '${region}'`;
  const res = await fetch(`${env('ALPHAFEED_QUESTDB_URL')}/exec?query=${encodeURIComponent(sql)}`);
  const body = (await res.json()) as { dataset: [[number]] };
  return body.dataset[0][0];
}

describe('QuestDbStore on a real server', () => {
  let store: QuestDbStore;

  beforeAll(async () => {
    store = new QuestDbStore({ url: env('ALPHAFEED_QUESTDB_URL') });
    await store.ensureTables([FEATURES, ALPHAS]);
  });

  afterAll(async () => {
    await store.close();
  });

  test('rows round-trip exactly, sorted by (date, instrument), NaN as NULL and back', async () => {
    const region = unique('rt');
    const extremes = [
      Number.MIN_VALUE,
      Number.MAX_VALUE,
      0.1 + 0.2,
      -1 / 3,
      1e-300,
      123456789.12345679,
      Math.PI * 1e15,
    ];
    const rows: [string, string, ...number[]][] = [
      ['2024-03-05', 'MSFT', extremes[0], extremes[1], 20],
      ['2024-03-04', 'MSFT', NaN, extremes[2], NaN],
      ['2024-03-04', 'AAPL', extremes[3], NaN, 2 ** 40],
      ['2024-03-05', 'AAPL', extremes[4], extremes[5], -3],
      ['2024-03-04', 'BRK.B', extremes[6], -0.5, 0],
    ];
    await store.write(FEATURES.name, batch(region, FEATURES, rows, { config_hash: 'h1' }));
    await store.flush();

    const back = await store.read(FEATURES.name, { region });
    expect(back.region).toBe(region);
    expect(back.instruments).toEqual(['AAPL', 'BRK.B', 'MSFT']);
    expect(back.tags).toEqual({ config_hash: 'h1' });
    expect(rowsOf(FEATURES, back)).toEqual([
      ['2024-03-04', 'AAPL', extremes[3], NaN, 2 ** 40],
      ['2024-03-04', 'BRK.B', extremes[6], -0.5, 0],
      ['2024-03-04', 'MSFT', NaN, extremes[2], NaN],
      ['2024-03-05', 'AAPL', extremes[4], extremes[5], -3],
      ['2024-03-05', 'MSFT', extremes[0], extremes[1], 20],
    ]);
    // toEqual treats NaN as NaN but is lenient on nothing else; check NaN where NULL was written explicitly.
    expect(Number.isNaN(back.columns.ret_1d[2])).toBe(true);
    expect(Number.isNaN(back.columns.n_obs[2])).toBe(true);
  });

  test('writing the same batch twice leaves no duplicate rows (DEDUP)', async () => {
    const region = unique('dedup');
    const rows: [string, string, ...number[]][] = [
      ['2024-01-02', 'A', 1, 2, 3],
      ['2024-01-02', 'B', 4, 5, 6],
      ['2024-01-03', 'A', 7, 8, 9],
    ];
    await store.write(FEATURES.name, batch(region, FEATURES, rows, { config_hash: 'h' }));
    await store.write(FEATURES.name, batch(region, FEATURES, rows, { config_hash: 'h' }));
    await store.flush();
    expect(await countRows(FEATURES.name, region)).toBe(3);
    expect((await store.read(FEATURES.name, { region })).length).toBe(3);
  });

  test('a changed value for the same key replaces the row (upsert)', async () => {
    const region = unique('upsert');
    await store.write(
      FEATURES.name,
      batch(
        region,
        FEATURES,
        [
          ['2024-01-02', 'A', 1, 2, 3],
          ['2024-01-02', 'B', 4, 5, 6],
        ],
        { config_hash: 'h' },
      ),
    );
    await store.write(
      FEATURES.name,
      batch(region, FEATURES, [['2024-01-02', 'B', 40, NaN, 60]], { config_hash: 'h' }),
    );
    // read() waits for pending writes by itself (no flush here on purpose).
    const back = await store.read(FEATURES.name, { region });
    expect(rowsOf(FEATURES, back)).toEqual([
      ['2024-01-02', 'A', 1, 2, 3],
      ['2024-01-02', 'B', 40, NaN, 60],
    ]);
    expect(await countRows(FEATURES.name, region)).toBe(2);
  });

  test('date range bounds are inclusive and tag filters select one version', async () => {
    const region = unique('filter');
    const v1: [string, string, ...number[]][] = [
      ['2024-01-31', 'A', 1, 1],
      ['2024-02-01', 'A', 2, 1],
      ['2024-02-29', 'A', 3, 1],
      ['2024-03-01', 'A', 4, 1],
    ];
    const v2: [string, string, ...number[]][] = v1.map(([d, i, a]) => [d, i, a * 10, 2]);
    await store.write(ALPHAS.name, batch(region, ALPHAS, v1, { model_version: 'v1' }));
    await store.write(ALPHAS.name, batch(region, ALPHAS, v2, { model_version: 'v2' }));
    await store.flush();

    const febV1 = await store.read(ALPHAS.name, {
      region,
      from: '2024-02-01',
      to: '2024-02-29',
      tags: { model_version: 'v1' },
    });
    expect(rowsOf(ALPHAS, febV1)).toEqual([
      ['2024-02-01', 'A', 2, 1],
      ['2024-02-29', 'A', 3, 1],
    ]);
    expect(febV1.tags).toEqual({ model_version: 'v1' });

    const fromMarchV2 = await store.read(ALPHAS.name, {
      region,
      from: '2024-03-01',
      tags: { model_version: 'v2' },
    });
    expect(rowsOf(ALPHAS, fromMarchV2)).toEqual([['2024-03-01', 'A', 40, 2]]);
    const toJanV2 = await store.read(ALPHAS.name, {
      region,
      to: '2024-01-31',
      tags: { model_version: 'v2' },
    });
    expect(rowsOf(ALPHAS, toJanV2)).toEqual([['2024-01-31', 'A', 10, 2]]);

    // Without the model_version filter, two rows share each (date, instrument).
    await expect(store.read(ALPHAS.name, { region })).rejects.toMatchObject({ code: 'STORE_AMBIGUOUS_READ' });
    // Another region sees nothing.
    expect(
      (await store.read(ALPHAS.name, { region: unique('empty'), tags: { model_version: 'v1' } })).length,
    ).toBe(0);
  });

  test('bad input is rejected before anything is sent, naming the problem', async () => {
    const region = unique('bad');
    await expect(
      store.write('no_such_table', batch(region, FEATURES, [['2024-01-02', 'A', 1, 2, 3]])),
    ).rejects.toMatchObject({ code: 'STORE_UNKNOWN_TABLE' });
    await expect(
      store.write(FEATURES.name, batch(region, FEATURES, [['2024-01-02', 'A', 1, 2, 3.5]])),
    ).rejects.toThrow(/n_obs.*3\.5 is not a safe integer/);
    await expect(
      store.write(ALPHAS.name, batch(region, ALPHAS, [['2024-01-02', 'A', 1, 2]])),
    ).rejects.toThrow(/model_version/);
    await expect(store.read(FEATURES.name, { region, from: '2024-02-30' })).rejects.toMatchObject({
      code: 'STORE_BAD_QUERY',
    });
    expect(await countRows(FEATURES.name, region)).toBe(0);
  });

  test('an unreachable server fails with the URL and the fix in the message', async () => {
    const dead = new QuestDbStore({ url: 'http://127.0.0.1:1', requestTimeoutMs: 2000 });
    await expect(dead.ensureTables([FEATURES])).rejects.toMatchObject({
      code: 'STORE_UNREACHABLE',
      message: expect.stringMatching(/127\.0\.0\.1:1.*npm run infra:up/s),
    });
    await dead.close();
  });
});
