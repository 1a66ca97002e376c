import { InputError, Rng, dateOffsets } from '@alphafeed/core';
import { Matrix, pseudoInverse } from 'ml-matrix';
import { neutralize, neutralizeMany } from './neutralize';

interface Panel {
  alpha: Float64Array;
  exposures: Float64Array[];
  offsets: Int32Array;
}

function panel(sizes: number[], seed: number, missingRate = 0): Panel {
  const rng = new Rng(seed);
  const n = sizes.reduce((s, v) => s + v, 0);
  const date = new Int32Array(n);
  let r = 0;
  sizes.forEach((m, d) => {
    for (let i = 0; i < m; i++) date[r++] = d;
  });
  const beta = new Float64Array(n);
  const size = new Float64Array(n);
  const mom = new Float64Array(n);
  const alpha = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    beta[i] = 1 + 0.3 * rng.normal();
    size[i] = 20 + 2 * rng.normal();
    mom[i] = 0.2 * rng.normal();
    alpha[i] = 100 * rng.normal() + 40 * beta[i] - 15 * size[i] + 300 * mom[i];
    if (rng.uniform() < missingRate) beta[i] = NaN;
    if (rng.uniform() < missingRate) mom[i] = NaN;
  }
  return { alpha, exposures: [beta, size, mom], offsets: dateOffsets(date, sizes.length) };
}

/** The regressor values actually used on a date: NaN → that date's mean. */
function filled(e: Float64Array, start: number, end: number): number[] {
  const seen = Array.from(e.subarray(start, end)).filter((v) => !Number.isNaN(v));
  const mean = seen.reduce((s, v) => s + v, 0) / seen.length;
  return Array.from(e.subarray(start, end), (v) => (Number.isNaN(v) ? mean : v));
}

/** Naive twin: residual y − X pinv(X) y with ml-matrix's SVD pseudo-inverse (minimum-norm lstsq). */
function naiveResidual(y: number[], columns: number[][]): number[] {
  const X = new Matrix(y.length, columns.length + 1);
  for (let i = 0; i < y.length; i++) {
    X.set(i, 0, 1);
    columns.forEach((c, j) => X.set(i, j + 1, c[i]));
  }
  const b = pseudoInverse(X).mmul(Matrix.columnVector(y));
  const fit = X.mmul(b).getColumn(0);
  return y.map((v, i) => v - fit[i]);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

test('neutralised alphas are zero-mean and orthogonal to every exposure on every date', () => {
  const p = panel([60, 55, 58, 7, 60], 1, 0.1);
  const out = neutralize(p.alpha, p.exposures, p.offsets);
  for (let d = 0; d + 1 < p.offsets.length; d++) {
    const [s, e] = [p.offsets[d], p.offsets[d + 1]];
    const res = out.subarray(s, e);
    const scale = Math.sqrt(dot(p.alpha.subarray(s, e), p.alpha.subarray(s, e)));
    expect(Math.abs(res.reduce((a, v) => a + v, 0))).toBeLessThan(1e-10 * scale);
    for (const ex of p.exposures)
      expect(Math.abs(dot(res, filled(ex, s, e)))).toBeLessThan(1e-9 * scale * 20);
    // Something is left: 4 regressors cannot explain 55+ noisy values.
    if (e - s > 10) expect(Math.sqrt(dot(res, res))).toBeGreaterThan(0.1 * scale);
  }
});

test('equals the SVD minimum-norm least-squares residual', () => {
  const p = panel([40, 33], 2, 0.2);
  const out = neutralize(p.alpha, p.exposures, p.offsets);
  for (let d = 0; d < 2; d++) {
    const [s, e] = [p.offsets[d], p.offsets[d + 1]];
    const ref = naiveResidual(
      Array.from(p.alpha.subarray(s, e)),
      p.exposures.map((x) => filled(x, s, e)),
    );
    ref.forEach((v, i) => expect(out[s + i]).toBeCloseTo(v, 8));
  }
});

test('collinear and constant exposures: same residual as without the redundant columns', () => {
  const p = panel([50], 3);
  const [beta, size] = p.exposures;
  const constant = new Float64Array(50).fill(2.5);
  const twiceBeta = beta.map((v) => 2 * v - 1);
  const degenerate = neutralize(p.alpha, [beta, size, constant, twiceBeta], p.offsets);
  const reference = neutralize(p.alpha, [beta, size], p.offsets);
  reference.forEach((v, i) => expect(degenerate[i]).toBeCloseTo(v, 9));
  const svd = naiveResidual(Array.from(p.alpha), [
    Array.from(beta),
    Array.from(size),
    Array.from(constant),
    Array.from(twiceBeta),
  ]);
  svd.forEach((v, i) => expect(degenerate[i]).toBeCloseTo(v, 7));
});

test('dates with no more rows than regressors neutralise to zero; an all-missing exposure is skipped', () => {
  const p = panel([1, 3, 4, 30], 4);
  const out = neutralize(p.alpha, p.exposures, p.offsets);
  for (let i = 0; i < 8; i++) expect(out[i]).toBeCloseTo(0, 9);
  const beta = p.exposures[0].slice();
  beta.fill(NaN, 8, 38);
  const skipped = neutralize(p.alpha, [beta, p.exposures[1], p.exposures[2]], p.offsets);
  const without = neutralize(
    p.alpha.subarray(8),
    [p.exposures[1].subarray(8), p.exposures[2].subarray(8)],
    Int32Array.from([0, 30]),
  );
  without.forEach((v, i) => expect(skipped[8 + i]).toBeCloseTo(v, 9));
});

test('neutralizeMany treats each column as neutralize does; inputs are not modified', () => {
  const p = panel([20, 25], 5);
  const second = p.alpha.map((v) => -0.5 * v + 3);
  const before = p.alpha.slice();
  const [a, b] = neutralizeMany([p.alpha, second], p.exposures, p.offsets);
  expect(Array.from(a)).toEqual(Array.from(neutralize(p.alpha, p.exposures, p.offsets)));
  expect(Array.from(b)).toEqual(Array.from(neutralize(second, p.exposures, p.offsets)));
  expect(Array.from(p.alpha)).toEqual(Array.from(before));
});

test('bad input: NaN alpha, misaligned columns or offsets are InputErrors', () => {
  const p = panel([10], 6);
  const bad = p.alpha.slice();
  bad[3] = NaN;
  expect(() => neutralize(bad, p.exposures, p.offsets)).toThrow(/row 3/);
  expect(() => neutralize(p.alpha, [p.exposures[0].subarray(1)], p.offsets)).toThrow(InputError);
  expect(() => neutralize(p.alpha, p.exposures, Int32Array.from([0, 9]))).toThrow(InputError);
});
