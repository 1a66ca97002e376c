/**
 * Style exposures of one date (SPEC §10): winsorise each raw style at the
 * 1st/99th percentile of the universe's values (numpy linear percentile,
 * `linearPercentile` of @alphafeed/features), standardise with the
 * universe's mean and std (ddof 0, equal weights), missing -> 0 after
 * standardising.
 *
 * Reading: "the universe on t" is the SPEC's universe (members with a real
 * bar on t), so carried rows do not move the percentiles, mean or std; they
 * are clipped and standardised with the universe's numbers like any row.
 * A std of exactly 0 (every universe value equal) gives 0 for every row.
 * A date with no finite universe value gives 0 for every row.
 *
 * Cost per style: O(rows) expected (two quickselects, two passes).
 */
import { linearPercentile } from '@alphafeed/features';

export class StyleExposureKernel {
  private values = new Float64Array(0);
  private scratch = new Float64Array(0);

  constructor(
    private readonly lower: number,
    private readonly upper: number,
  ) {}

  /**
   * Writes the standardised style `raw[rows[r]]` into `out[r * stride + column]`
   * for r < rowCount. `inUniverse[r]` (0/1) marks the rows whose values form
   * the statistics.
   */
  standardize(
    raw: Float64Array,
    rows: Int32Array,
    inUniverse: Uint8Array,
    rowCount: number,
    out: Float64Array,
    stride: number,
    column: number,
  ): void {
    if (this.values.length < rowCount) {
      this.values = new Float64Array(rowCount);
      this.scratch = new Float64Array(rowCount);
    }
    const values = this.values;
    let n = 0;
    for (let r = 0; r < rowCount; r++) {
      if (inUniverse[r] === 0) continue;
      const v = raw[rows[r]];
      if (v === v) values[n++] = v;
    }
    if (n === 0) {
      for (let r = 0; r < rowCount; r++) out[r * stride + column] = 0;
      return;
    }
    const low = linearPercentile(values, n, this.lower, this.scratch);
    const high = linearPercentile(values, n, this.upper, this.scratch);
    let sum = 0;
    let allEqual = true;
    const first = clip(values[0], low, high);
    for (let j = 0; j < n; j++) {
      const v = clip(values[j], low, high);
      values[j] = v;
      sum += v;
      if (v !== first) allEqual = false;
    }
    const mean = sum / n;
    let squares = 0;
    for (let j = 0; j < n; j++) {
      const e = values[j] - mean;
      squares += e * e;
    }
    const std = Math.sqrt(squares / n);
    for (let r = 0; r < rowCount; r++) {
      const v = raw[rows[r]];
      out[r * stride + column] = v !== v || allEqual ? 0 : (clip(v, low, high) - mean) / std;
    }
  }
}

function clip(v: number, low: number, high: number): number {
  return v < low ? low : v > high ? high : v;
}
