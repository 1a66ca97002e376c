/**
 * Scenario: an alpha table (point-in-time or a user's own) is placed on the
 * market: rows sorted by date and instrument; an empty table, a NaN alpha,
 * an unknown instrument, a date off the calendar or a repeated (date,
 * instrument) is one line naming the row and what to do.
 */
import { parseIsoDay } from '@alphafeed/core';
import { parseConfig } from '@alphafeed/config';
import { alphaRowsOnMarket, firstAlphaDate, type AlphaTable } from './alpha-rows';
import { backtestOptionsFromConfig } from './backtest-options';
import { BacktestInputError } from './errors';
import { handMarket } from './testing/hand-market';

const market = handMarket(
  ['2024-01-02', '2024-01-03', '2024-01-04'],
  ['AAA', 'BBB'],
  [
    [NaN, 0.01, 0.02],
    [NaN, 0.0, -0.01],
  ],
);

function table(rows: [string, string, number][]): AlphaTable {
  const dictionary = [...new Set(rows.map((r) => r[1]))];
  return {
    source: 'csv:my-alphas.csv',
    length: rows.length,
    day: Int32Array.from(rows, (r) => parseIsoDay(r[0])),
    instrument: { codes: Int32Array.from(rows, (r) => dictionary.indexOf(r[1])), dictionary },
    alpha: Float64Array.from(rows, (r) => r[2]),
  };
}

const reject = (rows: [string, string, number][]): string => {
  try {
    alphaRowsOnMarket(table(rows), market);
  } catch (err) {
    expect(err).toBeInstanceOf(BacktestInputError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

test('rows are placed on the calendar and sorted by (date, instrument)', () => {
  const rows = alphaRowsOnMarket(
    table([
      ['2024-01-04', 'BBB', 5],
      ['2024-01-03', 'BBB', -2],
      ['2024-01-03', 'AAA', 3],
    ]),
    market,
  );
  expect([...rows.date]).toEqual([1, 1, 2]);
  expect([...rows.instrument]).toEqual([0, 1, 1]);
  expect([...rows.alpha]).toEqual([3, -2, 5]);
  expect(firstAlphaDate(rows)).toBe(1);
});

test('bad tables are one line each', () => {
  expect(reject([])).toBe(
    'csv:my-alphas.csv has no alpha rows; a backtest needs alphas on at least one date',
  );
  expect(reject([['2024-01-03', 'AAA', NaN]])).toBe(
    'csv:my-alphas.csv: row 1 (2024-01-03, AAA) has alpha NaN; every alpha must be a finite number of bps — fix or drop the row',
  );
  expect(reject([['2024-01-03', 'ZZZ', 1]])).toBe(
    'csv:my-alphas.csv: row 1 names instrument "ZZZ", which has no bars in the data; check the code or the data source',
  );
  expect(reject([['2024-01-06', 'AAA', 1]])).toBe(
    'csv:my-alphas.csv: row 1 (AAA) is dated 2024-01-06, not a trading date of the data (2024-01-02 to 2024-01-04)',
  );
  expect(
    reject([
      ['2024-01-03', 'AAA', 1],
      ['2024-01-03', 'AAA', 2],
    ]),
  ).toBe(
    'csv:my-alphas.csv: 2024-01-03, AAA appears twice (rows 1 and 2); keep one alpha per date and instrument',
  );
});

test('options from the config: mode, interval, costs and the carry-forward limit', () => {
  const o = backtestOptionsFromConfig(parseConfig({ region: 'cn', features: { ffill_limit: 3 } }, 'cn'), {
    start: 7,
  });
  expect([o.mode, o.rebalanceEvery, o.start, o.writeOffAfter, o.rules.cost]).toEqual([
    'long_only',
    5,
    7,
    3,
    2.5e-4,
  ]);
  expect(o.rules.priceLimits?.main).toBe(0.1);
});
