import { growFloat64, growInt32, growUint8, nextCapacity } from './typed-growth';

/**
 * Industry z-score of one cross-section (SPEC §3.2): `(x - mean_g) / std_g`
 * with ddof 0 over the rows of industry g; industries with fewer than
 * `minIndustrySize` rows are scored against the whole cross-section; a group
 * whose values are all equal scores 0 (an exact test on the data, so a
 * rounding residue of the mean cannot turn into +-1). Group sizes are fixed
 * once per date (`setGroups`), then three passes per feature (`score`),
 * O(rows + industries); the per-industry accumulators are reused.
 */
export class IndustryZScoreKernel {
  private count = new Int32Array(0);
  private sum = new Float64Array(0);
  private squares = new Float64Array(0);
  private first = new Float64Array(0);
  private varies = new Uint8Array(0);
  private mean = new Float64Array(0);
  private std = new Float64Array(0);
  private capacity = 0;

  constructor(readonly minIndustrySize: number) {}

  /** Scoring group of each row: its industry, or `whole` for a small industry. */
  private rowGroup = new Int32Array(0);
  private industryOf: Int32Array = new Int32Array(0);
  private rows = 0;
  private whole = 0;

  /**
   * Overwrites `values[0..n)` with their z-scores; `industry[r]` is the group
   * of row r (a non-negative id). Same as `setGroups` then `score`.
   */
  apply(values: Float64Array, industry: Int32Array, n: number): void {
    this.setGroups(industry, n);
    this.score(values);
  }

  /**
   * Fixes the date's rows and their industries (once per date; every feature
   * of the date shares them): group sizes and which rows fall back to the
   * whole cross-section. O(rows + industries).
   */
  setGroups(industry: Int32Array, n: number): void {
    let maxIndustry = 0;
    for (let r = 0; r < n; r++) if (industry[r] > maxIndustry) maxIndustry = industry[r];
    this.ensure(maxIndustry + 2);
    if (this.rowGroup.length < n) this.rowGroup = new Int32Array(nextCapacity(this.rowGroup.length, n));
    const whole = maxIndustry + 1;
    this.count.fill(0, 0, whole + 1);
    for (let r = 0; r < n; r++) this.count[industry[r]]++;
    this.count[whole] = n;
    const minSize = this.minIndustrySize;
    for (let r = 0; r < n; r++) this.rowGroup[r] = this.count[industry[r]] < minSize ? whole : industry[r];
    this.industryOf = industry;
    this.rows = n;
    this.whole = whole;
  }

  /** Z-scores `values[0..n)` in place for the groups of the last `setGroups`. Three passes. */
  score(values: Float64Array): void {
    const n = this.rows;
    if (n === 0) return;
    const whole = this.whole;
    const industry = this.industryOf;
    const { count, sum, squares, first, varies, mean, std, rowGroup } = this;
    for (let g = 0; g <= whole; g++) {
      sum[g] = 0;
      squares[g] = 0;
      varies[g] = 0;
      first[g] = NaN;
    }
    const wholeFirst = values[0];
    let wholeVaries = 0;
    let total = 0;
    for (let r = 0; r < n; r++) {
      const g = industry[r];
      const v = values[r];
      // `first[g]` is NaN until the group's first value (values are never NaN here).
      if (first[g] !== first[g]) first[g] = v;
      else if (v !== first[g]) varies[g] = 1;
      if (v !== wholeFirst) wholeVaries = 1;
      sum[g] += v;
      total += v;
    }
    sum[whole] = total;
    varies[whole] = wholeVaries;
    for (let g = 0; g <= whole; g++) if (count[g] > 0) mean[g] = sum[g] / count[g];
    const wholeMean = mean[whole];
    let wholeSquares = 0;
    for (let r = 0; r < n; r++) {
      const v = values[r];
      const d = v - mean[industry[r]];
      squares[industry[r]] += d * d;
      const dw = v - wholeMean;
      wholeSquares += dw * dw;
    }
    squares[whole] = wholeSquares;
    for (let g = 0; g <= whole; g++) {
      if (count[g] > 0) std[g] = varies[g] ? Math.sqrt(squares[g] / count[g]) : 0;
    }
    for (let r = 0; r < n; r++) {
      const g = rowGroup[r];
      const sd = std[g];
      values[r] = sd === 0 ? 0 : (values[r] - mean[g]) / sd;
    }
  }

  private ensure(groups: number): void {
    if (groups <= this.capacity) return;
    const capacity = nextCapacity(this.capacity, groups);
    this.count = growInt32(this.count, capacity);
    this.sum = growFloat64(this.sum, capacity);
    this.squares = growFloat64(this.squares, capacity);
    this.first = growFloat64(this.first, capacity);
    this.varies = growUint8(this.varies, capacity);
    this.mean = growFloat64(this.mean, capacity);
    this.std = growFloat64(this.std, capacity);
    this.capacity = capacity;
  }
}
