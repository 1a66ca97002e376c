import { InputError, Rng, type DenseMatrix } from '@alphafeed/core';
import { NotFittedError, XGBoostError } from './errors';
import { XGBoostModel, XGBOOST_DEFAULTS } from './xgboost.model';
import { xgboostVersion } from './xgboost.native';

/** y = sin(3 x0) + x1² − 0.5 x2 + noise; x3 is pure noise. */
function problem(n: number, seed: number): { X: DenseMatrix; y: Float64Array } {
  const rng = new Rng(seed);
  const p = 4;
  const values = new Float32Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < p; j++) values[i * p + j] = rng.normal();
    const x = values.subarray(i * p, i * p + p);
    y[i] = Math.sin(3 * x[0]) + x[1] * x[1] - 0.5 * x[2] + 0.1 * rng.normal();
  }
  return { X: { values, rows: n, cols: p }, y };
}

function mse(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

const train = problem(2000, 1);
const test_ = problem(1000, 2);
const small = { nEstimators: 60, nthread: 1 };
const models: XGBoostModel[] = [];
function fitted(options = small, data = train): XGBoostModel {
  const m = new XGBoostModel(options).fit(data.X, data.y);
  models.push(m);
  return m;
}
afterAll(() => models.forEach((m) => m.dispose()));

test('links libxgboost 1.7 and defaults to the SPEC §6 parameters', () => {
  expect(xgboostVersion()).toMatch(/^1\.7\./);
  expect(new XGBoostModel().params()).toEqual({
    nEstimators: 400,
    maxDepth: 6,
    eta: 0.05,
    subsample: 0.8,
    colsampleBytree: 0.8,
    seed: 42,
    treeMethod: 'hist',
    objective: 'reg:squarederror',
    baseScore: 0.5,
    maxBin: 256,
    lambda: 1,
    minChildWeight: 1,
    nthread: 1,
  });
  expect(new XGBoostModel({ eta: 0.1, nthread: undefined }).params()).toEqual({
    ...XGBOOST_DEFAULTS,
    eta: 0.1,
  });
});

test('trains on a small non-linear problem and beats the mean predictor out of sample', () => {
  const m = fitted();
  const mean = train.y.reduce((s, v) => s + v, 0) / train.y.length;
  const pred = m.predict(test_.X);
  expect(pred.length).toBe(test_.X.rows);
  expect(mse(pred, test_.y)).toBeLessThan(0.5 * mse(new Float64Array(test_.y.length).fill(mean), test_.y));
});

test('float64 input is converted once and predicts like its float32 copy', () => {
  const m = fitted();
  const X64 = { values: Float64Array.from(test_.X.values), rows: test_.X.rows, cols: test_.X.cols };
  expect(Array.from(m.predict(X64))).toEqual(Array.from(m.predict(test_.X)));
});

test('save → load reproduces predictions exactly', () => {
  const m = fitted();
  const doc = JSON.parse(JSON.stringify(m.toJSON()));
  const back = XGBoostModel.fromJSON(doc);
  models.push(back);
  expect(back.params()).toEqual(m.params());
  expect(Array.from(back.predict(test_.X))).toEqual(Array.from(m.predict(test_.X)));
  expect(Array.from(back.featureImportance('gain'))).toEqual(Array.from(m.featureImportance('gain')));
});

test('two runs with the same seed are identical; another seed differs', () => {
  const a = fitted().predict(test_.X);
  const b = fitted().predict(test_.X);
  expect(Array.from(b)).toEqual(Array.from(a));
  const c = fitted({ ...small, seed: 7 } as typeof small).predict(test_.X);
  expect(Array.from(c)).not.toEqual(Array.from(a));
});

test('nthread 1 and 2 agree within 1e-6', () => {
  const one = fitted({ ...small, nthread: 1 }).predict(test_.X);
  const two = fitted({ ...small, nthread: 2 }).predict(test_.X);
  let worst = 0;
  for (let i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(one[i] - two[i]));
  expect(worst).toBeLessThanOrEqual(1e-6);
});

test("a bad parameter value surfaces XGBoost's own message", () => {
  const m = new XGBoostModel({ maxDepth: -3, nEstimators: 2 });
  let caught: unknown;
  try {
    m.fit(train.X, train.y);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(XGBoostError);
  const e = caught as XGBoostError;
  expect(e.nativeMessage).toMatch(/max_depth/);
  expect(e.nativeMessage).toMatch(/greater equal to 0/);
  expect(e.message).toContain(e.nativeMessage);
  expect(e.retriable).toBe(false);
  expect(m.isFitted).toBe(false);
  expect(() => new XGBoostModel({ subsample: 1.5, nEstimators: 1 }).fit(train.X, train.y)).toThrow(
    /subsample/,
  );
});

test('importance: gain, weight and total_gain have one entry per column, consistent with each other', () => {
  const m = fitted();
  const gain = m.featureImportance('gain');
  const weight = m.featureImportance('weight');
  const total = m.featureImportance('total_gain');
  for (const v of [gain, weight, total]) expect(v.length).toBe(4);
  for (let j = 0; j < 4; j++) {
    expect(Number.isInteger(weight[j])).toBe(true);
    expect(total[j]).toBeCloseTo(gain[j] * weight[j], 0);
  }
  // x0 and x1 carry the signal; x3 is noise.
  expect(total[0]).toBeGreaterThan(total[3]);
  expect(total[1]).toBeGreaterThan(total[3]);
});

test('predict before fit or after dispose throws NotFittedError; dispose twice is harmless', () => {
  expect(() => new XGBoostModel().predict(test_.X)).toThrow(NotFittedError);
  const m = new XGBoostModel(small).fit(train.X, train.y);
  m.dispose();
  m.dispose();
  expect(() => m.predict(test_.X)).toThrow(NotFittedError);
  expect(() => m.toJSON()).toThrow(NotFittedError);
});

test('NaN in X or y is an InputError naming where; a wrong column count is refused', () => {
  const X = { ...train.X, values: Float32Array.from(train.X.values) };
  X.values[5 * 4 + 1] = NaN;
  expect(() => new XGBoostModel(small).fit(X, train.y)).toThrow(/row 5, column 1/);
  const y = train.y.slice();
  y[3] = NaN;
  expect(() => new XGBoostModel(small).fit(train.X, y)).toThrow(InputError);
  const m = fitted();
  expect(() => m.predict({ values: new Float32Array(6), rows: 2, cols: 3 })).toThrow(/3 columns/);
  expect(() => new XGBoostModel({ nEstimators: 0 }).fit(train.X, train.y)).toThrow(InputError);
});

test('refitting frees the old booster and replaces the model', () => {
  const m = fitted();
  const before = m.predict(test_.X);
  m.fit(problem(500, 3).X, problem(500, 3).y);
  expect(Array.from(m.predict(test_.X))).not.toEqual(Array.from(before));
});

test('a float64 value beyond float32 range is refused rather than turned into Infinity', () => {
  const X = { values: Float64Array.from(train.X.values), rows: train.X.rows, cols: train.X.cols };
  X.values[2 * 4 + 3] = 1e39;
  expect(() => new XGBoostModel(small).fit(X, train.y)).toThrow(/row 2, column 3/);
});
