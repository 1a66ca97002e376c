/**
 * `fitRows` / `predictRows` read rows in place from columns instead of a
 * packed matrix (memory at US scale). Their naive twins are `fit` / `predict`
 * on the `denseFromColumns` copy of the same rows: results must be
 * bit-identical, not merely close.
 */
import { InputError, Rng } from '@alphafeed/core';
import { denseFromColumns } from './dense';
import { RidgeModel } from './ridge.model';
import { XGBoostModel } from './xgboost.model';

function columnsOf(n: number, p: number, seed: number): { columns: Float64Array[]; y: Float64Array } {
  const rng = new Rng(seed);
  const columns = Array.from({ length: p }, (_, j) =>
    Float64Array.from({ length: n }, () => rng.normal() * (1 + j) + j),
  );
  const y = Float64Array.from(
    { length: n },
    (_, i) => Math.sin(columns[0][i]) - 0.3 * columns[1][i] + rng.normal(),
  );
  return { columns, y };
}

/** Every third row, then a few out of order: the gather must follow `rows` exactly. */
function someRows(n: number): Int32Array {
  const rows: number[] = [];
  for (let i = 0; i < n; i += 3) rows.push(i);
  rows.push(1, n - 1, 4);
  return Int32Array.from(rows);
}

const gatherY = (y: Float64Array, rows: Int32Array): Float64Array => Float64Array.from(rows, (r) => y[r]);

describe('Ridge', () => {
  const { columns, y } = columnsOf(5000, 6, 11);
  const rows = someRows(5000);

  test('fitRows on a row subset equals fit on its packed float64 copy, bit for bit', () => {
    const a = new RidgeModel({ alpha: 2 }).fitRows({ columns, rows }, gatherY(y, rows));
    const b = new RidgeModel({ alpha: 2 }).fit(
      denseFromColumns(columns, { rows, type: 'float64' }),
      gatherY(y, rows),
    );
    expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
    expect(a.intercept).toBe(b.intercept);
    expect(Array.from(a.predictRows({ columns, rows }))).toEqual(
      Array.from(b.predict(denseFromColumns(columns, { rows, type: 'float64' }))),
    );
    expect(Array.from(a.predictRows({ columns }))).toEqual(Array.from(b.predict(denseFromColumns(columns))));
  });

  test('fitRows without rows uses every row', () => {
    const a = new RidgeModel().fitRows({ columns }, y);
    const b = new RidgeModel().fit(denseFromColumns(columns), y);
    expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
    expect(a.intercept).toBe(b.intercept);
  });

  test('a non-finite value on a selected row is refused; one on another row is not read', () => {
    const bad = columns.map((c) => c.slice());
    bad[2][rows[7]] = NaN;
    expect(() => new RidgeModel().fitRows({ columns: bad, rows }, gatherY(y, rows))).toThrow(
      /row 7 \(source row 21\), column 2/,
    );
    const unselected = columns.map((c) => c.slice());
    unselected[0][2] = NaN;
    expect(() => new RidgeModel().fitRows({ columns: unselected, rows }, gatherY(y, rows))).not.toThrow();
    expect(() =>
      new RidgeModel().fitRows({ columns, rows: Int32Array.of(0, 5000) }, y.subarray(0, 2)),
    ).toThrow(InputError);
    expect(() => new RidgeModel().fitRows({ columns, rows }, y)).toThrow(/y has 5000 values/);
  });
});

describe('XGBoost', () => {
  const { columns, y } = columnsOf(3000, 4, 5);
  const rows = someRows(3000);
  const options = { nEstimators: 30, nthread: 1 };
  const models: XGBoostModel[] = [];
  afterAll(() => models.forEach((m) => m.dispose()));
  const keep = (m: XGBoostModel): XGBoostModel => (models.push(m), m);

  test('fitRows grows the same trees as fit on the packed float32 copy', () => {
    const a = keep(new XGBoostModel(options).fitRows({ columns, rows }, gatherY(y, rows)));
    const b = keep(
      new XGBoostModel(options).fit(denseFromColumns(columns, { rows, type: 'float32' }), gatherY(y, rows)),
    );
    expect(a.toJSON().booster).toBe(b.toJSON().booster);
    const X32 = denseFromColumns(columns, { type: 'float32' });
    expect(Array.from(a.predict(X32))).toEqual(Array.from(b.predict(X32)));
  });

  test('predictRows in blocks equals one predict on all rows (more rows than one block)', () => {
    const m = keep(new XGBoostModel(options).fitRows({ columns }, y));
    const big = columnsOf(300_000, 4, 9).columns;
    const whole = m.predict(denseFromColumns(big, { type: 'float32' }));
    expect(Array.from(m.predictRows({ columns: big }))).toEqual(Array.from(whole));
    const sub = Int32Array.from({ length: 140_000 }, (_, i) => (i * 7) % 300_000);
    expect(Array.from(m.predictRows({ columns: big, rows: sub }))).toEqual(
      Array.from(m.predict(denseFromColumns(big, { rows: sub, type: 'float32' }))),
    );
    expect(m.predictRows({ columns: big, rows: new Int32Array(0) }).length).toBe(0);
  });

  test('bad input is refused before anything reaches libxgboost', () => {
    const bad = columns.map((c) => c.slice());
    bad[1][rows[3]] = Infinity;
    expect(() => new XGBoostModel(options).fitRows({ columns: bad, rows }, gatherY(y, rows))).toThrow(
      /row 3 \(source row 9\), column 1/,
    );
    const huge = columns.map((c) => c.slice());
    huge[3][6] = 1e39;
    expect(() => new XGBoostModel(options).fitRows({ columns: huge, rows }, gatherY(y, rows))).toThrow(
      /row 2, column 3 does not fit in float32/,
    );
    const m = keep(new XGBoostModel(options).fitRows({ columns }, y));
    expect(() => m.predictRows({ columns: columns.slice(0, 3) })).toThrow(/3 columns/);
  });
});
