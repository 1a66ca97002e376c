import { InputError, Rng, type DenseMatrix } from '@alphafeed/core';
import { Matrix, solve } from 'ml-matrix';
import { NotFittedError } from './errors';
import { RidgeModel } from './ridge.model';

function randomProblem(n: number, p: number, seed: number): { X: DenseMatrix; y: Float64Array } {
  const rng = new Rng(seed);
  const values = new Float64Array(n * p);
  for (let k = 0; k < values.length; k++) values[k] = rng.normal() * (1 + (k % p)) + (k % p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.7;
    for (let j = 0; j < p; j++) s += values[i * p + j] * (j % 2 === 0 ? 0.5 : -0.25);
    y[i] = s + rng.normal();
  }
  return { X: { values, rows: n, cols: p }, y };
}

/** Naive twin: the closed form with ml-matrix, centring by explicit means. */
function closedForm(X: DenseMatrix, y: Float64Array, alpha: number): { coef: number[]; intercept: number } {
  const { rows: n, cols: p } = X;
  const A = new Matrix(n, p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) A.set(i, j, X.values[i * p + j]);
  const xMean = A.mean('column');
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  const Xc = A.clone().subRowVector(xMean);
  const yc = Matrix.columnVector(Array.from(y, (v) => v - yMean));
  const lhs = Xc.transpose().mmul(Xc).add(Matrix.eye(p).mul(alpha));
  const coef = solve(lhs, Xc.transpose().mmul(yc)).getColumn(0);
  const intercept = yMean - coef.reduce((s, b, j) => s + b * xMean[j], 0);
  return { coef, intercept };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-10 * Math.abs(b) + 1e-12;

test('hand-checked: x = 1, 2, 3 and y = 1, 2, 4 with alpha 1 give slope 1 and intercept 1/3', () => {
  // x̄ = 2, ȳ = 7/3; Xc'Xc = 2, Xc'yc = 3; b = 3 / (2 + 1) = 1; intercept = 7/3 − 2.
  const m = new RidgeModel({ alpha: 1 }).fit(
    { values: new Float64Array([1, 2, 3]), rows: 3, cols: 1 },
    new Float64Array([1, 2, 4]),
  );
  expect(m.coef[0]).toBeCloseTo(1, 14);
  expect(m.intercept).toBeCloseTo(1 / 3, 14);
  expect(Array.from(m.predict({ values: new Float64Array([0, 10]), rows: 2, cols: 1 }))).toEqual([
    expect.closeTo(1 / 3, 14),
    expect.closeTo(10 + 1 / 3, 14),
  ]);
});

test("coefficients equal the closed-form solution (Xc'Xc + αI)⁻¹ Xc'yc on random data", () => {
  for (const [alpha, seed] of [
    [3, 1],
    [0.5, 2],
    [100, 3],
  ]) {
    const { X, y } = randomProblem(500, 6, seed);
    const m = new RidgeModel({ alpha }).fit(X, y);
    const ref = closedForm(X, y, alpha);
    m.coef.forEach((b, j) => expect(close(b, ref.coef[j])).toBe(true));
    expect(close(m.intercept, ref.intercept)).toBe(true);
  }
});

test('default alpha is 3 and float32 input gives the float64 answer on the same values', () => {
  const { X, y } = randomProblem(200, 4, 7);
  const m = new RidgeModel();
  expect(m.params()).toEqual({ alpha: 3 });
  m.fit(X, y);
  const X32 = { values: Float32Array.from(X.values), rows: X.rows, cols: X.cols };
  const X64 = { values: Float64Array.from(X32.values), rows: X.rows, cols: X.cols };
  expect(Array.from(new RidgeModel().fit(X32, y).coef)).toEqual(
    Array.from(new RidgeModel().fit(X64, y).coef),
  );
  const ref = closedForm(X, y, 3);
  m.coef.forEach((b, j) => expect(close(b, ref.coef[j])).toBe(true));
});

test('the intercept is not penalised: shifting y by a constant moves only the intercept', () => {
  const { X, y } = randomProblem(300, 3, 11);
  const a = new RidgeModel({ alpha: 50 }).fit(X, y);
  const b = new RidgeModel({ alpha: 50 }).fit(
    X,
    y.map((v) => v + 1000),
  );
  a.coef.forEach((c, j) => expect(b.coef[j]).toBeCloseTo(c, 10));
  expect(b.intercept - a.intercept).toBeCloseTo(1000, 8);
});

test('fit replaces all learned state', () => {
  const p1 = randomProblem(100, 3, 21);
  const p2 = randomProblem(100, 3, 22);
  const m = new RidgeModel().fit(p1.X, p1.y).fit(p2.X, p2.y);
  const fresh = new RidgeModel().fit(p2.X, p2.y);
  expect(Array.from(m.coef)).toEqual(Array.from(fresh.coef));
  expect(m.intercept).toBe(fresh.intercept);
});

test('predict before fit throws NotFittedError', () => {
  expect(() => new RidgeModel().predict({ values: new Float64Array(2), rows: 1, cols: 2 })).toThrow(
    NotFittedError,
  );
  expect(() => new RidgeModel().coef).toThrow(NotFittedError);
});

test('NaN or Inf in X or y is an InputError naming the row and column', () => {
  const { X, y } = randomProblem(10, 3, 5);
  const bad = { ...X, values: X.values.slice() };
  bad.values[4 * 3 + 2] = NaN;
  expect(() => new RidgeModel().fit(bad, y)).toThrow(/row 4, column 2/);
  const badY = y.slice();
  badY[7] = Infinity;
  expect(() => new RidgeModel().fit(X, badY)).toThrow(InputError);
  expect(() => new RidgeModel().fit(X, badY)).toThrow(/row 7/);
  expect(() => new RidgeModel().fit(X, y.subarray(1))).toThrow(InputError);
  expect(() => new RidgeModel({ alpha: -1 }).fit(X, y)).toThrow(InputError);
});

test('toJSON → fromJSON reproduces predictions exactly', () => {
  const { X, y } = randomProblem(100, 5, 9);
  const m = new RidgeModel({ alpha: 2 }).fit(X, y);
  const back = RidgeModel.fromJSON(JSON.parse(JSON.stringify(m)));
  expect(back.params()).toEqual({ alpha: 2 });
  expect(Array.from(back.predict(X))).toEqual(Array.from(m.predict(X)));
  expect(() => RidgeModel.fromJSON({ kind: 'xgboost' } as never)).toThrow(InputError);
});
