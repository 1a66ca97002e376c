/**
 * Cross-sectional winsorising (SPEC §3.1): clip to percentiles computed as
 * `numpy.percentile` does by default (linear interpolation between order
 * statistics, numpy's `_lerp` rounding). Order statistics come from
 * quickselect on a scratch copy: O(n) expected per percentile instead of an
 * O(n log n) sort, and the input order is left untouched.
 */

/**
 * Rearranges `a[left..right]` so that `a[k]` holds the value of rank k (0-based
 * within the whole array), smaller values before it and larger after (Hoare
 * partition, median-of-three pivot). O(right - left) expected. No NaNs.
 */
export function quickselect(a: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    const mid = (left + right) >>> 1;
    // Median of three as pivot, moved to `left`.
    if (a[mid] < a[left]) swap(a, mid, left);
    if (a[right] < a[left]) swap(a, right, left);
    if (a[right] < a[mid]) swap(a, right, mid);
    swap(a, mid, left);
    const pivot = a[left];
    let i = left;
    let j = right + 1;
    for (;;) {
      do i++;
      while (i <= right && a[i] < pivot);
      do j--;
      while (a[j] > pivot);
      if (i >= j) break;
      swap(a, i, j);
    }
    swap(a, left, j);
    if (j === k) return a[k];
    if (j < k) left = j + 1;
    else right = j - 1;
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/**
 * numpy's linear percentile from a partitioned scratch: `a[below]` is the
 * order statistic of rank `below` and everything right of it is >= it, so the
 * next order statistic is the minimum of `a[below + 1 .. n)`. numpy's `_lerp`
 * interpolates from the nearer end, so q = 1 returns the maximum exactly.
 */
function interpolate(a: Float64Array, n: number, below: number, position: number): number {
  const lower = a[below];
  if (below + 1 >= n) return lower;
  let upper = Infinity;
  for (let i = below + 1; i < n; i++) if (a[i] < upper) upper = a[i];
  const gamma = position - below;
  const diff = upper - lower;
  return gamma >= 0.5 ? upper - diff * (1 - gamma) : lower + diff * gamma;
}

/**
 * `numpy.percentile(values[0..n), 100 * q)` with the default linear method.
 * `scratch` (length >= n) is overwritten. O(n) expected.
 */
export function linearPercentile(values: Float64Array, n: number, q: number, scratch: Float64Array): number {
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) scratch[i] = values[i];
  const position = (n - 1) * q;
  const below = Math.floor(position);
  quickselect(scratch, 0, n - 1, below);
  return interpolate(scratch, n, below, position);
}

/**
 * Clips `values[0..n)` in place to their `lower` and `upper` percentiles
 * (fractions, e.g. 0.01 and 0.99). One copy, one quickselect for the lower
 * rank, a second one only over the part right of it for the upper rank, and
 * one clipping pass: O(n) expected.
 */
export function winsorizeInPlace(
  values: Float64Array,
  n: number,
  lower: number,
  upper: number,
  scratch: Float64Array,
): void {
  if (n === 0) return;
  for (let i = 0; i < n; i++) scratch[i] = values[i];
  const lowPosition = (n - 1) * lower;
  const lowBelow = Math.floor(lowPosition);
  const highPosition = (n - 1) * upper;
  const highBelow = Math.floor(highPosition);
  quickselect(scratch, 0, n - 1, lowBelow);
  const low = interpolate(scratch, n, lowBelow, lowPosition);
  // Ranks above lowBelow already sit right of it; select the upper one there.
  if (highBelow > lowBelow) quickselect(scratch, lowBelow + 1, n - 1, highBelow);
  const high = interpolate(scratch, n, highBelow, highPosition);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < low) values[i] = low;
    else if (v > high) values[i] = high;
  }
}
