/**
 * Cross-sectional winsorising (SPEC §3.1): clip to percentiles computed as
 * `numpy.percentile` does by default (linear interpolation between order
 * statistics, numpy's `_lerp` rounding). Order statistics come from
 * quickselect on a scratch copy: O(n) expected per percentile instead of an
 * O(n log n) sort, and the input order is left untouched.
 */

/**
 * Rearranges `a[0..n)` so that `a[k]` is the k-th smallest, smaller values
 * before it and larger after (Hoare partition, median-of-three pivot).
 * Values must not be NaN.
 */
export function quickselect(a: Float64Array, n: number, k: number): number {
  let left = 0;
  let right = n - 1;
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
 * `numpy.percentile(values[0..n), 100 * q)` with the default linear method.
 * `scratch` (length >= n) is overwritten. O(n) expected.
 */
export function linearPercentile(values: Float64Array, n: number, q: number, scratch: Float64Array): number {
  if (n === 0) return NaN;
  for (let i = 0; i < n; i++) scratch[i] = values[i];
  const position = (n - 1) * q;
  const below = Math.floor(position);
  const lower = quickselect(scratch, n, below);
  if (below + 1 >= n) return lower;
  // After the select every value right of `below` is >= lower; the next order
  // statistic is their minimum.
  let upper = Infinity;
  for (let i = below + 1; i < n; i++) if (scratch[i] < upper) upper = scratch[i];
  const gamma = position - below;
  const diff = upper - lower;
  // numpy's _lerp: interpolate from the nearer end so q = 1 returns the maximum exactly.
  return gamma >= 0.5 ? upper - diff * (1 - gamma) : lower + diff * gamma;
}

/**
 * Clips `values[0..n)` in place to their `lower` and `upper` percentiles
 * (fractions, e.g. 0.01 and 0.99). Two quickselects and one pass.
 */
export function winsorizeInPlace(
  values: Float64Array,
  n: number,
  lower: number,
  upper: number,
  scratch: Float64Array,
): void {
  if (n === 0) return;
  const low = linearPercentile(values, n, lower, scratch);
  const high = linearPercentile(values, n, upper, scratch);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < low) values[i] = low;
    else if (v > high) values[i] = high;
  }
}
