/**
 * Own specific variance per instrument (SPEC §10): the EWMA weights of the
 * factor covariance over the instrument's own residuals among the window's
 * dates, `s^2 = sum_d w_d e_d^2 / sum_d w_d` over the dates d where it has a
 * residual.
 *
 * Residuals live in an instrument-major ring (`window` slots per instrument,
 * slot = date mod window, with the slot's date so that a stale slot is never
 * read): a row's 252 values are contiguous, and the per-date estimate is a
 * re-sum, O(rows * window) = ~0.75M multiply-adds for 3,000 rows. Memory:
 * 12 bytes x window per instrument ever seen (3 MB per 1,000 instruments).
 */
export class SpecificVarianceKernel {
  private readonly window: number;
  private residual = new Float64Array(0);
  private residualDate = new Int32Array(0);
  private capacity = 0;

  constructor(private readonly weights: Float64Array) {
    this.window = weights.length;
  }

  /** Makes room for instrument ids < `instruments`. */
  reserve(instruments: number): void {
    if (instruments <= this.capacity) return;
    const capacity = Math.max(instruments, Math.ceil(this.capacity * 1.5), 64);
    const W = this.window;
    const residual = new Float64Array(capacity * W);
    residual.set(this.residual);
    const residualDate = new Int32Array(capacity * W).fill(-1);
    residualDate.set(this.residualDate);
    this.residual = residual;
    this.residualDate = residualDate;
    this.capacity = capacity;
  }

  /** Books residual e of `instrument` on date d (instrument < reserved capacity). */
  push(instrument: number, dateIndex: number, e: number): void {
    const at = instrument * this.window + (dateIndex % this.window);
    this.residual[at] = e;
    this.residualDate[at] = dateIndex;
  }

  /**
   * The own estimate of `instrument` on date t: returns the residual count in
   * the window and writes the variance to `out[at]` (NaN when the count is 0).
   */
  estimate(instrument: number, dateIndex: number, out: Float64Array, at: number): number {
    if (instrument >= this.capacity) {
      out[at] = NaN;
      return 0;
    }
    const W = this.window;
    const base = instrument * W;
    let num = 0;
    let den = 0;
    let count = 0;
    for (let lag = 0; lag < W && lag <= dateIndex; lag++) {
      const d = dateIndex - lag;
      const slot = base + (d % W);
      if (this.residualDate[slot] !== d) continue;
      const w = this.weights[lag];
      const e = this.residual[slot];
      num += w * e * e;
      den += w;
      count++;
    }
    out[at] = count > 0 ? num / den : NaN;
    return count;
  }
}
