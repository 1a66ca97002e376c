/**
 * EWMA factor covariance over a window of factor returns (SPEC §10):
 * `F_t = sum_d w_d f_d f_d' / sum_d w_d` over the last `window` dates with a
 * factor return, `w_d = 0.5^((t - d) / halfLife)`, not demeaned.
 *
 * The factor returns sit in a ring indexed by date modulo the window, and F
 * is re-summed from the ring on every date: O(window * K^2 / 2) = ~0.2M
 * multiply-adds for K = 40, well under a millisecond. A running sum
 * (`S_t = a S_{t-1} + f_t f_t' - a^window f_{t-window} f_{t-window}'`) would
 * be O(K^2) but accumulates rounding that a batch recompute does not have;
 * the re-sum is the definition itself, so batch and stream are bit-identical.
 */
export function ewmaWeights(window: number, halfLife: number): Float64Array {
  const weights = new Float64Array(window);
  for (let lag = 0; lag < window; lag++) weights[lag] = Math.pow(0.5, lag / halfLife);
  return weights;
}

export class FactorCovarianceKernel {
  private readonly ring: Float64Array;
  /** Date of each ring slot (-1 = empty). */
  private readonly slotDate: Int32Array;

  constructor(
    private readonly factors: number,
    private readonly weights: Float64Array,
  ) {
    this.ring = new Float64Array(weights.length * factors);
    this.slotDate = new Int32Array(weights.length).fill(-1);
  }

  /** Stores f_d (K) for date d. */
  push(dateIndex: number, f: Float64Array): void {
    const slot = dateIndex % this.weights.length;
    this.ring.set(f.subarray(0, this.factors), slot * this.factors);
    this.slotDate[slot] = dateIndex;
  }

  /** F_t into `out` (K x K, row-major, symmetric); all zero when no factor return is in the window. */
  covariance(dateIndex: number, out: Float64Array): void {
    const K = this.factors;
    const W = this.weights.length;
    out.fill(0);
    let weightSum = 0;
    for (let lag = 0; lag < W && lag <= dateIndex; lag++) {
      const d = dateIndex - lag;
      const slot = d % W;
      if (this.slotDate[slot] !== d) continue;
      const w = this.weights[lag];
      weightSum += w;
      const base = slot * K;
      for (let a = 0; a < K; a++) {
        const wa = w * this.ring[base + a];
        if (wa === 0) continue;
        const row = a * K;
        for (let b = a; b < K; b++) out[row + b] += wa * this.ring[base + b];
      }
    }
    if (weightSum === 0) return;
    for (let a = 0; a < K; a++) {
      for (let b = a; b < K; b++) {
        const v = out[a * K + b] / weightSum;
        out[a * K + b] = v;
        out[b * K + a] = v;
      }
    }
  }
}
