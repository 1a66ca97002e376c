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
 * `out[begin, end)`. `order` is scratch of at least `end - begin` entries.
 * O(n log n) for the sort of the slice.
 */
export function averageRanksSlice(
  values: ArrayLike<number>,
  begin: number,
  end: number,
  out: Float64Array,
  order: Int32Array,
): void {
  const n = end - begin;
  for (let i = 0; i < n; i++) order[i] = begin + i;
  const view = order.subarray(0, n);
  view.sort((a, b) => values[a] - values[b]);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = values[view[i]];
    while (j < n && values[view[j]] === v) j++;
    // Positions i..j-1 (0-based) share rank mean(i+1 .. j) = (i + 1 + j) / 2.
    const rank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) out[view[t]] = rank;
    i = j;
  }
}
