/**
 * The score kernels against naive twins written from the textbook formulas
 * (one-pass Pearson sums, O(n^2) counting ranks, a Map grouping by date), on
 * random data with ties, singleton dates and constant sides.
 */
import { Rng } from '@alphafeed/core';
import { averageRanksSlice, pearsonSlice } from './correlation.kernel';
import { CvInputError } from './errors';
import { scoreFold, scoreOof, scoreRecords } from './scores';

function naivePearson(x: number[], y: number[]): number {
  const n = x.length;
  if (n < 2 || new Set(x).size === 1 || new Set(y).size === 1) return NaN;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    syy += y[i] * y[i];
    sxy += x[i] * y[i];
  }
  return (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
}

/** rank = (# smaller) + (# equal + 1) / 2, the average rank by counting. */
function naiveRanks(x: number[]): number[] {
  return x.map((v) => {
    let less = 0;
    let equal = 0;
    for (const w of x) {
      if (w < v) less++;
      else if (w === v) equal++;
    }
    return less + (equal + 1) / 2;
  });
}

function naiveScores(p: number[], y: number[], d: number[]) {
  const byDate = new Map<number, number[]>();
  d.forEach((date, i) => byDate.set(date, [...(byDate.get(date) ?? []), i]));
  const ics: number[] = [];
  const rics: number[] = [];
  for (const rows of byDate.values()) {
    const px = rows.map((i) => p[i]);
    const yx = rows.map((i) => y[i]);
    const ic = naivePearson(px, yx);
    if (Number.isNaN(ic)) continue;
    ics.push(ic);
    rics.push(naivePearson(naiveRanks(px), naiveRanks(yx)));
  }
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const my = mean(y);
  const sse = p.reduce((s, v, i) => s + (y[i] - v) ** 2, 0);
  const sst = y.reduce((s, v) => s + (v - my) ** 2, 0);
  return { ic: mean(ics), rank_ic: mean(rics), mse: sse / p.length, r2: 1 - sse / sst, n: p.length };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;

describe('Pearson and Spearman kernels', () => {
  it('match the naive twins on random slices with ties', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + rng.int(40);
      // Values on a coarse grid so ties are frequent.
      const x = Array.from({ length: n }, () => Math.round(rng.normal() * 3) / 3);
      const y = Array.from({ length: n }, () => rng.normal());
      const fx = Float64Array.from([99, ...x]);
      const fy = Float64Array.from([-5, ...y]);
      const want = naivePearson(x, y);
      const got = pearsonSlice(fx, fy, 1, n + 1);
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(close(got, want)).toBe(true);
      const ranks = new Float64Array(n + 1);
      averageRanksSlice(fx, 1, n + 1, ranks, new Float64Array(n));
      expect(Array.from(ranks.subarray(1))).toEqual(naiveRanks(x));
    }
  });

  it('ties get the mean of their positions', () => {
    const out = new Float64Array(6);
    averageRanksSlice(Float64Array.from([3, 1, 3, 2, 3, 1]), 0, 6, out, new Float64Array(6));
    expect(Array.from(out)).toEqual([5, 1.5, 5, 3, 5, 1.5]);
  });

  it('NaN for fewer than 2 rows or a constant side (exact test on the data)', () => {
    const a = Float64Array.from([1, 2, 3]);
    expect(pearsonSlice(a, a, 0, 1)).toBeNaN();
    expect(pearsonSlice(a, Float64Array.from([4, 4, 4]), 0, 3)).toBeNaN();
    expect(pearsonSlice(Float64Array.from([0.1, 0.1, 0.1]), a, 0, 3)).toBeNaN();
    expect(pearsonSlice(a, Float64Array.from([1, 1, 1 + 1e-15]), 0, 3)).not.toBeNaN();
  });
});

describe('scoreFold and scoreOof', () => {
  const rng = new Rng(11);
  const p: number[] = [];
  const y: number[] = [];
  const d: number[] = [];
  for (let date = 0; date < 60; date++) {
    const rows = date === 5 ? 1 : 1 + rng.int(30); // date 5: a single row, left out of ic
    for (let i = 0; i < rows; i++) {
      d.push(date);
      p.push(Math.round(rng.normal() * 4) / 4);
      y.push(date === 9 ? 0.02 : 0.3 * p[p.length - 1] + rng.normal()); // date 9: constant label
    }
  }
  const fp = Float64Array.from(p);
  const fy = Float64Array.from(y);
  const fd = Int32Array.from(d);

  it('per-date ic / rank_ic and pooled mse / r2 equal the naive twin', () => {
    const want = naiveScores(p, y, d);
    const got = scoreFold(fp, fy, fd, 1234);
    expect(close(got.ic, want.ic)).toBe(true);
    expect(close(got.rank_ic, want.rank_ic)).toBe(true);
    expect(close(got.mse, want.mse)).toBe(true);
    expect(close(got.r2, want.r2)).toBe(true);
    expect([got.n_train, got.n_test]).toEqual([1234, want.n]);
  });

  it('scoreOof leaves out uncovered (NaN) rows and reports no n_train', () => {
    const masked = fp.slice();
    const keep: number[] = [];
    for (let i = 0; i < masked.length; i++) {
      if (d[i] < 12) masked[i] = NaN;
      else keep.push(i);
    }
    const want = naiveScores(
      keep.map((i) => p[i]),
      keep.map((i) => y[i]),
      keep.map((i) => d[i]),
    );
    const got = scoreOof(masked, fy, fd);
    expect(close(got.ic, want.ic)).toBe(true);
    expect(close(got.r2, want.r2)).toBe(true);
    expect(got.n_test).toBe(keep.length);
    expect(got.n_train).toBeUndefined();
    expect(scoreRecords('ridge', '21d', 'oof', got).map((r) => r.metric)).toEqual([
      'ic',
      'rank_ic',
      'mse',
      'r2',
      'n_test',
    ]);
  });

  it('records come in the golden metric order', () => {
    const recs = scoreRecords('xgb', '63d', 3, scoreFold(fp, fy, fd, 10));
    expect(recs.map((r) => r.metric)).toEqual(['ic', 'rank_ic', 'mse', 'r2', 'n_train', 'n_test']);
    expect(recs.every((r) => r.model === 'xgb' && r.horizon === '63d' && r.fold_id === 3)).toBe(true);
  });

  it('NaN where a score is undefined: no usable date, constant labels', () => {
    const s = scoreFold(Float64Array.from([1, 2]), Float64Array.from([5, 5]), Int32Array.from([0, 1]));
    expect(s.ic).toBeNaN();
    expect(s.rank_ic).toBeNaN();
    expect(s.r2).toBeNaN();
    expect(s.mse).toBe(12.5);
  });

  it('rejects mismatched lengths, NaN inputs and unsorted dates', () => {
    expect(() => scoreFold(fp, fy.subarray(1), fd)).toThrow(CvInputError);
    const nanP = fp.slice();
    nanP[3] = NaN;
    expect(() => scoreFold(nanP, fy, fd)).toThrow(/prediction of row 3 is NaN/);
    const nanY = fy.slice();
    nanY[4] = NaN;
    expect(() => scoreOof(fp, nanY, fd)).toThrow(/label of row 4 is NaN/);
    const back = fd.slice();
    back[back.length - 1] = 0;
    expect(() => scoreFold(fp, fy, back)).toThrow(/must be sorted/);
  });
});
