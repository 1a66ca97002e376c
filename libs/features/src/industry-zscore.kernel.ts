import { growFloat64, growInt32, growUint8, nextCapacity } from './typed-growth';

/**
 * Industry z-score of one cross-section (SPEC §3.2): `(x - mean_g) / std_g`
 * with ddof 0 over the rows of industry g; industries with fewer than
 * `minIndustrySize` rows are scored against the whole cross-section; a group
 * whose values are all equal scores 0 (an exact test on the data, so a
 * rounding residue of the mean cannot turn into +-1). Two passes, O(rows +
 * industries) per feature; the per-industry accumulators are reused.
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

  /**
   * Overwrites `values[0..n)` with their z-scores; `industry[r]` is the group
   * of row r (a non-negative id).
   */
  apply(values: Float64Array, industry: Int32Array, n: number): void {
    if (n === 0) return;
    let maxIndustry = 0;
    for (let r = 0; r < n; r++) if (industry[r] > maxIndustry) maxIndustry = industry[r];
    this.ensure(maxIndustry + 2);
    // Slot `whole` holds the whole cross-section.
    const whole = maxIndustry + 1;
    for (let g = 0; g <= whole; g++) {
      this.count[g] = 0;
      this.sum[g] = 0;
      this.squares[g] = 0;
      this.varies[g] = 0;
    }
    const wholeFirst = values[0];
    for (let r = 0; r < n; r++) {
      const g = industry[r];
      const v = values[r];
      if (this.count[g] === 0) this.first[g] = v;
      else if (v !== this.first[g]) this.varies[g] = 1;
      if (v !== wholeFirst) this.varies[whole] = 1;
      this.count[g]++;
      this.sum[g] += v;
    }
    this.count[whole] = n;
    let total = 0;
    for (let r = 0; r < n; r++) total += values[r];
    this.sum[whole] = total;
    for (let g = 0; g <= whole; g++) if (this.count[g] > 0) this.mean[g] = this.sum[g] / this.count[g];
    const wholeMean = this.mean[whole];
    let wholeSquares = 0;
    for (let r = 0; r < n; r++) {
      const g = industry[r];
      const v = values[r];
      const d = v - this.mean[g];
      this.squares[g] += d * d;
      const dw = v - wholeMean;
      wholeSquares += dw * dw;
    }
    this.squares[whole] = wholeSquares;
    for (let g = 0; g <= whole; g++) {
      if (this.count[g] > 0) this.std[g] = this.varies[g] ? Math.sqrt(this.squares[g] / this.count[g]) : 0;
    }
    const minSize = this.minIndustrySize;
    for (let r = 0; r < n; r++) {
      let g = industry[r];
      if (this.count[g] < minSize) g = whole;
      const std = this.std[g];
      values[r] = std === 0 ? 0 : (values[r] - this.mean[g]) / std;
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
