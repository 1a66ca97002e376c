/**
 * Per-slice correlation kernels for the per-date scores. They work on a row
 * range `[begin, end)` of columnar arrays so that scoring a fold is one pass
 * over date-sorted rows with no copies beyond a rank scratch buffer.
 */

/**
 * Pearson correlation of `x` and `y` over `[begin, end)`, two-pass (means
 * first, then centred sums) to avoid the cancellation of the one-pass form.
 * NaN when fewer than 2 rows or either side is constant; constancy is an exact
 * test on the data (all values equal), never a floating-point residue.
 */
export function pearsonSlice(x: ArrayLike<number>, y: ArrayLike<number>, begin: number, end: number): number {
  const n = end - begin;
  if (n < 2) return NaN;
  let xConst = true;
  let yConst = true;
  const x0 = x[begin];
  const y0 = y[begin];
  let sx = 0;
  let sy = 0;
  for (let i = begin; i < end; i++) {
    if (x[i] !== x0) xConst = false;
    if (y[i] !== y0) yConst = false;
    sx += x[i];
    sy += y[i];
  }
  if (xConst || yConst) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = begin; i < end; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Average ranks (1-based, ties share the mean of their positions, as
 * `scipy.stats.rankdata(method='average')`) of `values[begin, end)` written to
 * `out[begin, end)`. `sorted` is scratch of at least `end - begin` entries.
 * The slice is copied and sorted natively (no comparator callback: several
 * times faster on the millions of rows of a fold), then each value's tie run
 * [first, last) is found by binary search and its rank is (first + 1 + last) / 2.
 * O(n log n). Values must not be NaN.
 */
export function averageRanksSlice(
  values: ArrayLike<number>,
  begin: number,
  end: number,
  out: Float64Array,
  sorted: Float64Array,
): void {
  const n = end - begin;
  const s = sorted.subarray(0, n);
  for (let i = 0; i < n; i++) s[i] = values[begin + i];
  s.sort();
  for (let i = begin; i < end; i++) {
    const v = values[i];
    let first = 0;
    let hi = n;
    while (first < hi) {
      const mid = (first + hi) >>> 1;
      if (s[mid] < v) first = mid + 1;
      else hi = mid;
    }
    let last = first;
    hi = n;
    while (last < hi) {
      const mid = (last + hi) >>> 1;
      if (s[mid] <= v) last = mid + 1;
      else hi = mid;
    }
    out[i] = (first + 1 + last) / 2;
  }
}
