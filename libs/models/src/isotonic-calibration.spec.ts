import { InputError, Rng } from '@alphafeed/core';
import { NotFittedError } from './errors';
import { IsotonicCalibrator, poolAdjacentViolators } from './isotonic.calibrator';

const f64 = (v: number[]): Float64Array => Float64Array.from(v);

/** Naive twin: merge exact ties, then pool any adjacent violating pair until none is left. O(n²). */
function naiveIsotonic(x: number[], y: number[]): { x: number[]; y: number[] } {
  const order = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const blocks: { x: number; sum: number; w: number; xs: number[] }[] = [];
  for (const i of order) {
    const last = blocks[blocks.length - 1];
    if (last !== undefined && last.x === x[i]) {
      last.sum += y[i];
      last.w += 1;
    } else blocks.push({ x: x[i], sum: y[i], w: 1, xs: [x[i]] });
  }
  const pools = blocks.map((b) => ({ sum: b.sum, w: b.w, xs: [b.x] }));
  for (let changed = true; changed;) {
    changed = false;
    for (let k = 0; k + 1 < pools.length; k++) {
      if (pools[k].sum / pools[k].w >= pools[k + 1].sum / pools[k + 1].w) {
        pools.splice(k, 2, {
          sum: pools[k].sum + pools[k + 1].sum,
          w: pools[k].w + pools[k + 1].w,
          xs: [...pools[k].xs, ...pools[k + 1].xs],
        });
        changed = true;
        break;
      }
    }
  }
  const out = { x: [] as number[], y: [] as number[] };
  for (const p of pools)
    for (const xv of p.xs) {
      out.x.push(xv);
      out.y.push(p.sum / p.w);
    }
  return out;
}

/** Naive twin of prediction: clip, then find the segment by a linear scan. */
function naiveInterp(tx: ArrayLike<number>, ty: ArrayLike<number>, v: number): number {
  const m = tx.length;
  if (v <= tx[0]) return ty[0];
  if (v >= tx[m - 1]) return ty[m - 1];
  for (let j = 0; j + 1 < m; j++) {
    if (v >= tx[j] && v < tx[j + 1]) return ty[j] + ((ty[j + 1] - ty[j]) * (v - tx[j])) / (tx[j + 1] - tx[j]);
  }
  return NaN;
}

test('hand-computed PAV: 1, 4, 3, 2, 5, 6, 5.5 pools to 1, 3, 3, 3, 5, 5.75, 5.75', () => {
  const y = f64([1, 4, 3, 2, 5, 6, 5.5]);
  poolAdjacentViolators(y, new Float64Array(7).fill(1));
  expect(Array.from(y)).toEqual([1, 3, 3, 3, 5, 5.75, 5.75]);
});

test('thresholds drop interior points of a constant run, and predictions interpolate between them', () => {
  const c = new IsotonicCalibrator().fit(f64([1, 2, 3, 4, 5, 6, 7]), f64([1, 4, 3, 2, 5, 6, 5.5]));
  // x = 3 sits inside the run 3, 3, 3 (x = 2..4) and is redundant; the ends are always kept.
  expect(Array.from(c.thresholds.x)).toEqual([1, 2, 4, 5, 6, 7]);
  expect(Array.from(c.thresholds.y)).toEqual([1, 3, 3, 5, 5.75, 5.75]);
  expect(Array.from(c.predict(f64([3, 1.5, 4.5, 6.5, 2])))).toEqual([3, 2, 4, 5.75, 3]);
});

test('clipped outside the fitted range', () => {
  const c = new IsotonicCalibrator().fit(f64([1, 2, 3, 4, 5, 6, 7]), f64([1, 4, 3, 2, 5, 6, 5.5]));
  expect(Array.from(c.predict(f64([-1e9, 0, 0.999, 7.001, 1e300])))).toEqual([1, 1, 1, 5.75, 5.75]);
});

test('tied x values are merged to their mean y before pooling', () => {
  // x = 1 twice (mean y 1, weight 2), then 0.5 at x = 2 violates: (2·1 + 0.5) / 3.
  const c = new IsotonicCalibrator().fit(f64([2, 1, 3, 1]), f64([0.5, 0, 3, 2]));
  expect(Array.from(c.thresholds.x)).toEqual([1, 2, 3]);
  const pooled = 2.5 / 3;
  expect(Array.from(c.thresholds.y)).toEqual([pooled, pooled, 3]);
  // sklearn's _make_unique also merges x closer than float64 resolution (1e-15).
  const near = new IsotonicCalibrator().fit(f64([0, 5e-16, 1]), f64([1, 3, 4]));
  expect(Array.from(near.thresholds.x)).toEqual([0, 1]);
  expect(Array.from(near.thresholds.y)).toEqual([2, 4]);
});

test('equals the naive pooling twin and is non-decreasing on random data with ties', () => {
  const rng = new Rng(3);
  for (let trial = 0; trial < 20; trial++) {
    const n = 5 + rng.int(200);
    const x = Array.from({ length: n }, () => Math.round(rng.normal() * 20) / 10);
    const y = x.map((v) => v + rng.normal() * 2);
    const c = new IsotonicCalibrator().fit(f64(x), f64(y));
    const twin = naiveIsotonic(x, y);
    const fitted = c.predict(f64(twin.x));
    twin.y.forEach((v, i) => expect(fitted[i]).toBeCloseTo(v, 9));
    const { x: tx, y: ty } = c.thresholds;
    const grid = Array.from({ length: 400 }, (_, k) => -6 + (12 * k) / 399);
    const pred = c.predict(f64(grid));
    for (let k = 1; k < pred.length; k++) expect(pred[k]).toBeGreaterThanOrEqual(pred[k - 1]);
    grid.forEach((v, k) => expect(pred[k]).toBeCloseTo(naiveInterp(tx, ty, v), 9));
  }
});

test('a single distinct x predicts its mean everywhere', () => {
  const c = new IsotonicCalibrator().fit(f64([2, 2, 2]), f64([1, 2, 6]));
  expect(Array.from(c.predict(f64([-5, 2, 9])))).toEqual([3, 3, 3]);
});

test('predict before fit throws NotFittedError; NaN input is an InputError', () => {
  expect(() => new IsotonicCalibrator().predict(f64([1]))).toThrow(NotFittedError);
  expect(() => new IsotonicCalibrator().fit(f64([1, NaN]), f64([1, 2]))).toThrow(/row 1/);
  expect(() => new IsotonicCalibrator().fit(f64([1, 2]), f64([1]))).toThrow(InputError);
  expect(() => new IsotonicCalibrator().fit(f64([]), f64([]))).toThrow(InputError);
});

test('toJSON → fromJSON keeps thresholds and predictions', () => {
  const c = new IsotonicCalibrator().fit(f64([1, 2, 3, 4]), f64([1, 3, 2, 4]));
  const back = IsotonicCalibrator.fromJSON(JSON.parse(JSON.stringify(c)));
  expect(Array.from(back.thresholds.x)).toEqual(Array.from(c.thresholds.x));
  expect(Array.from(back.predict(f64([0, 1.7, 2.5, 9])))).toEqual(
    Array.from(c.predict(f64([0, 1.7, 2.5, 9]))),
  );
});
