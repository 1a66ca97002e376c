import { checkTableSpec, createTableSql, literal, readPlan } from './questdb.sql';
import type { TableSpec } from './store.port';

const ALPHAS: TableSpec = {
  name: 'alphas',
  columns: [
    { name: 'alpha_bps', kind: 'double' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['model_version', 'config_hash'],
  extraKeys: ['model_version'],
};

describe('QuestDB SQL for the store adapter', () => {
  test('a WAL table by month with DEDUP UPSERT on ts, region, instrument and the extra keys', () => {
    expect(createTableSql(ALPHAS)).toBe(
      'CREATE TABLE IF NOT EXISTS alphas (ts TIMESTAMP, region SYMBOL, instrument SYMBOL, model_version SYMBOL, config_hash SYMBOL, ' +
        'alpha_bps DOUBLE, revision LONG) TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(ts, region, instrument, model_version)',
    );
  });

  test('specs with reserved, clashing (case-insensitive) or invalid names, or keys that are not tags, are rejected', () => {
    expect(() => checkTableSpec({ ...ALPHAS, columns: [{ name: 'ts', kind: 'double' }] })).toThrow(
      /reserved/,
    );
    expect(() => checkTableSpec({ ...ALPHAS, columns: [{ name: 'Model_Version', kind: 'double' }] })).toThrow(
      /case-insensitive/,
    );
    expect(() => checkTableSpec({ ...ALPHAS, name: 'alphas; DROP TABLE x' })).toThrow(/not a valid name/);
    expect(() => checkTableSpec({ ...ALPHAS, extraKeys: ['revision'] })).toThrow(
      /extra key 'revision' is not one of its tags/,
    );
  });

  test('read: inclusive day bounds as timestamps, escaped tag values, open tags selected, ambiguity flagged', () => {
    const plan = readPlan(ALPHAS, {
      region: "o'us",
      from: '2024-01-02',
      to: '2024-01-03',
      tags: { config_hash: 'h1' },
    });
    expect(plan.sql).toBe(
      'SELECT cast(ts AS LONG) / 86400000000L AS day, instrument, model_version, alpha_bps, revision FROM alphas ' +
        "WHERE region = 'o''us' AND ts >= 1704153600000000::timestamp AND ts <= 1704240000000000::timestamp AND config_hash = 'h1' ORDER BY ts, instrument",
    );
    expect(plan.tagColumns).toEqual(['model_version']);
    expect(plan.mayBeAmbiguous).toBe(true);
    expect(readPlan(ALPHAS, { region: 'us', tags: { model_version: 'v1' } }).mayBeAmbiguous).toBe(false);
  });

  test('read: a bad date or an unknown tag is rejected before any SQL is sent', () => {
    expect(() => readPlan(ALPHAS, { region: 'us', to: '2024-13-01' })).toThrow(/'to' must be an ISO date/);
    expect(() => readPlan(ALPHAS, { region: 'us', tags: { nope: 'x' } })).toThrow(/no tag column 'nope'/);
  });

  test('literal doubles single quotes', () => {
    expect(literal("a'b''")).toBe("'a''b'''''");
  });
});
