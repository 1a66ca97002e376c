import { InputError, Rng } from '@alphafeed/core';
import { clipAlphas } from './clip';
import { combinationWeights, combineAlphas, residualVariance } from './combination';
import { fitStacker, stackedScore } from './stacking';

test('combination weights are inverse-variance and sum to 1', () => {
  const w = combinationWeights([569501.8920524679, 1670244.9751246725]);
  expect(w[0] + w[1]).toBeCloseTo(1, 15);
  expect(w[0] / w[1]).toBeCloseTo(1670244.9751246725 / 569501.8920524679, 12);
  const three = combinationWeights(Float64Array.from([1, 2, 4]));
  expect(Array.from(three)).toEqual([4 / 7, 2 / 7, 1 / 7].map((v) => expect.closeTo(v, 15)));
  expect(three.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 15);
  expect(Array.from(combinationWeights([5]))).toEqual([1]);
});

test('a zero, negative or non-finite variance is refused', () => {
  for (const bad of [[1, 0], [1, -2], [NaN, 1], [Infinity, 1], []]) {
    expect(() => combinationWeights(bad)).toThrow(InputError);
  }
});

test('residual variance is the ddof-1 variance of label − alpha', () => {
  const label = Float64Array.from([10, 20, 30, 45]);
  const alpha = Float64Array.from([1, 2, 3, 4]);
  // residuals 9, 18, 27, 41: mean 23.75, squared deviations 217.5625 + 33.0625 + 10.5625 + 297.5625 = 558.75.
  expect(residualVariance(label, alpha)).toBeCloseTo(558.75 / 3, 12);
  const rng = new Rng(1);
  const l = Float64Array.from({ length: 1000 }, () => 1e6 + 500 * rng.normal());
  const a = Float64Array.from({ length: 1000 }, () => 100 * rng.normal());
  const e = Array.from(l, (v, i) => v - a[i]);
  const m = e.reduce((s, v) => s + v, 0) / e.length;
  expect(residualVariance(l, a)).toBeCloseTo(e.reduce((s, v) => s + (v - m) ** 2, 0) / 999, 6);
  expect(() => residualVariance(Float64Array.from([1]), Float64Array.from([1]))).toThrow(InputError);
  expect(() => residualVariance(Float64Array.from([1, NaN]), Float64Array.from([1, 2]))).toThrow(/row 1/);
});

test('combineAlphas is the weighted row sum', () => {
  const out = combineAlphas([Float64Array.from([10, -20]), Float64Array.from([30, 40])], [0.25, 0.75]);
  expect(Array.from(out)).toEqual([25, 25]);
  expect(() => combineAlphas([Float64Array.from([1])], [0.5, 0.5])).toThrow(InputError);
});

test('clipAlphas clips to ±bps and counts only values strictly outside', () => {
  const { values, clipped } = clipAlphas(
    Float64Array.from([-1500, -1000, 0, 999.9, 1000, 1000.0001, 3e9]),
    1000,
  );
  expect(Array.from(values)).toEqual([-1000, -1000, 0, 999.9, 1000, 1000, 1000]);
  expect(clipped).toBe(3);
  expect(() => clipAlphas(Float64Array.from([NaN]), 1000)).toThrow(InputError);
  expect(() => clipAlphas(Float64Array.from([1]), 0)).toThrow(InputError);
});

test('stacking: the meta Ridge on [ridge, xgb] recovers the blend and scores new rows', () => {
  const rng = new Rng(2);
  const n = 5000;
  const ridge = Float64Array.from({ length: n }, () => rng.normal());
  const xgb = Float64Array.from({ length: n }, () => rng.normal());
  const label = Float64Array.from(ridge, (r, i) => 0.002 + 0.6 * r + 0.3 * xgb[i] + 0.01 * rng.normal());
  const meta = fitStacker(ridge, xgb, label);
  expect(meta.params().alpha).toBe(3);
  expect(meta.coef[0]).toBeCloseTo(0.6, 3);
  expect(meta.coef[1]).toBeCloseTo(0.3, 3);
  expect(meta.intercept).toBeCloseTo(0.002, 3);
  const s = stackedScore(meta, Float64Array.from([1]), Float64Array.from([-1]));
  expect(s[0]).toBeCloseTo(meta.intercept + meta.coef[0] - meta.coef[1], 14);
  expect(() => fitStacker(ridge, xgb.subarray(1), label)).toThrow(InputError);
});
