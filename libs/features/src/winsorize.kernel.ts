/**
 * Cross-sectional winsorising (SPEC §3.1): clip to percentiles computed as
 * `numpy.percentile` does by default (linear interpolation between order
 * statistics, numpy's `_lerp` rounding). Order statistics come from
 * quickselect on a scratch copy: O(n) expected per percentile instead of an
 * O(n log n) sort, and the input order is left untouched.
 */

/**
 * Rearranges `a[left..right]` so that `a[k]` holds the value of rank k (0-based
 * within the whole array), smaller-or-equal values before it and
 * greater-or-equal after. Floyd–Rivest selection: on a large range it first
 * selects within a small sample-sized bracket around k, so the partition that
 * follows leaves almost nothing on k's side. About n + o(n) comparisons for
 * the extreme ranks the winsoriser asks for, against ~2n for a median-of-three
 * quickselect. No NaNs.
 */
export function quickselect(a: Float64Array, left: number, right: number, k: number): number {
  while (right > left) {
    if (right - left > 600) {
      const n = right - left + 1;
      const m = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (m - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (m * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - m) * s) / n + sd));
      quickselect(a, newLeft, newRight, k);
    }
    const pivot = a[k];
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right] > pivot) swap(a, left, right);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
    }
    if (a[left] === pivot) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
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
  return lerp(lower, upper, position - below);
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
 * (fractions, e.g. 0.01 and 0.99). One copy and two selections: the lower
 * pair (ranks b, b + 1) by selecting b + 1 and taking the maximum of the
 * b + 1 values left of it, the upper pair (ranks h, h + 1) by selecting h
 * right of the lower pair and taking the minimum of the values right of it.
 * For the 1st/99th percentiles both scans cover ~1% of the rows. O(n) expected.
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
  const a = scratch;
  const lowPosition = (n - 1) * lower;
  const lowBelow = Math.floor(lowPosition);
  const highPosition = (n - 1) * upper;
  const highBelow = Math.floor(highPosition);

  let lowLower: number;
  let lowUpper: number;
  if (lowBelow + 1 < n) {
    lowUpper = quickselect(a, 0, n - 1, lowBelow + 1);
    lowLower = -Infinity;
    for (let i = 0; i <= lowBelow; i++) if (a[i] > lowLower) lowLower = a[i];
  } else {
    lowLower = quickselect(a, 0, n - 1, lowBelow);
    lowUpper = lowLower;
  }

  // Ranks above lowBelow + 1 already sit right of it, in any order.
  let highLower: number;
  if (highBelow === lowBelow) highLower = lowLower;
  else if (highBelow === lowBelow + 1) highLower = lowUpper;
  else highLower = quickselect(a, lowBelow + 2, n - 1, highBelow);
  let highUpper = highLower;
  if (highBelow + 1 < n) {
    highUpper = Infinity;
    for (let i = highBelow + 1; i < n; i++) if (a[i] < highUpper) highUpper = a[i];
  }

  const low = lerp(lowLower, lowUpper, lowPosition - lowBelow);
  const high = lerp(highLower, highUpper, highPosition - highBelow);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < low) values[i] = low;
    else if (v > high) values[i] = high;
  }
}

/** numpy's `_lerp`: interpolate from the nearer end, so gamma 1 gives `upper` exactly. */
function lerp(lower: number, upper: number, gamma: number): number {
  const diff = upper - lower;
  return gamma >= 0.5 ? upper - diff * (1 - gamma) : lower + diff * gamma;
}
