/**
 * Isotonic calibration with scikit-learn's `IsotonicRegression(increasing=True,
 * out_of_bounds='clip')` semantics, step for step so that thresholds agree
 * with sklearn's `X_thresholds_` / `y_thresholds_`:
 *
 * 1. sort by (x, y) (sklearn: `np.lexsort((y, X))`);
 * 2. `_make_unique`: merge x values within 1e-15 (float64 `finfo.resolution`,
 *    measured from the first x of the group) into one point at that first x,
 *    y = weighted mean, weight = summed weight;
 * 3. pool-adjacent-violators with weights (sklearn's
 *    `_inplace_contiguous_isotonic_regression`: equal neighbours are pooled
 *    too, single pass with backtracking, O(n));
 * 4. drop interior points whose y equals both neighbours' (`trim_duplicates`);
 * 5. predict: clip x to [x_min, x_max], then linear interpolation between the
 *    two thresholds around it exactly as sklearn's `interp1d` does it (scipy
 *    delegates 1-D float64 linear interpolation to `np.interp`): a value equal
 *    to a threshold gets that threshold's y; otherwise
 *    slope × (x − x_j) + y_j with x_j <= x < x_{j+1}.
 *
 * Fit cost O(n log n) for the sort; predict O(log m) per value, m thresholds.
 */
import { InputError } from '@alphafeed/core';
import type { Estimator } from './estimator';
import { NotFittedError } from './errors';
import { pairOrder } from './pair-order';
import { checkVector } from './validate';

/** Nothing to tune: sklearn's increasing=True, out_of_bounds='clip' are fixed. */
export type IsotonicParams = Record<string, never>;

export interface IsotonicJSON {
  readonly kind: 'isotonic';
  readonly version: 1;
  readonly x: number[];
  readonly y: number[];
}

/** float64 `np.finfo(np.float64).resolution`, sklearn's tie tolerance in `_make_unique`. */
const TIE_EPS = 1e-15;

export class IsotonicCalibrator implements Estimator<Float64Array, IsotonicParams> {
  private fitted: { x: Float64Array; y: Float64Array } | null = null;

  params(): IsotonicParams {
    return {};
  }

  /** Fits on scores `x` and targets `y` (e.g. OOF stacked score → label in bps). */
  fit(x: Float64Array, y: Float64Array): this {
    checkVector(x, x.length, 'x');
    checkVector(y, x.length, 'y');
    if (x.length === 0) throw new InputError('isotonic calibration needs at least one (x, y) pair');
    this.fitted = null;
    const n = x.length;

    const order = pairOrder(x, y);

    // _make_unique: weights are all 1 here, so y·w = y and sums of w are counts.
    const ux = new Float64Array(n);
    const uy = new Float64Array(n);
    const uw = new Float64Array(n);
    let m = 0;
    let cx = x[order[0]];
    let cy = 0;
    let cw = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      const xi = x[i];
      if (xi - cx >= TIE_EPS) {
        ux[m] = cx;
        uw[m] = cw;
        uy[m] = cy / cw;
        m++;
        cx = xi;
        cw = 1;
        cy = y[i];
      } else {
        cw += 1;
        cy += y[i];
      }
    }
    ux[m] = cx;
    uw[m] = cw;
    uy[m] = cy / cw;
    m++;

    const fy = uy.subarray(0, m);
    poolAdjacentViolators(fy, uw.subarray(0, m));

    // trim_duplicates: keep the ends and every point that differs from a neighbour.
    const keep: number[] = [];
    for (let i = 0; i < m; i++) {
      if (i === 0 || i === m - 1 || fy[i] !== fy[i - 1] || fy[i] !== fy[i + 1]) keep.push(i);
    }
    this.fitted = {
      x: Float64Array.from(keep, (i) => ux[i]),
      y: Float64Array.from(keep, (i) => fy[i]),
    };
    return this;
  }

  predict(x: Float64Array): Float64Array {
    const { x: tx, y: ty } = this.state();
    const m = tx.length;
    const out = new Float64Array(x.length);
    const lo = tx[0];
    const hi = tx[m - 1];
    for (let k = 0; k < x.length; k++) {
      const v = x[k];
      if (v !== v) throw new InputError(`cannot calibrate a NaN score (at position ${k})`);
      if (m === 1) {
        out[k] = ty[0];
        continue;
      }
      const t = v < lo ? lo : v > hi ? hi : v;
      if (t === hi) {
        out[k] = ty[m - 1];
        continue;
      }
      // Largest j with tx[j] <= t (t < hi here, so j <= m - 2).
      let a = 0;
      let b = m - 1;
      while (b - a > 1) {
        const mid = (a + b) >>> 1;
        if (tx[mid] <= t) a = mid;
        else b = mid;
      }
      const j = a;
      if (t === tx[j]) {
        out[k] = ty[j];
        continue;
      }
      const slope = (ty[j + 1] - ty[j]) / (tx[j + 1] - tx[j]);
      let r = slope * (t - tx[j]) + ty[j];
      if (r !== r) {
        // Infinite slope over a sub-normal gap: numpy retries from the right end.
        r = slope * (t - tx[j + 1]) + ty[j + 1];
        if (r !== r && ty[j] === ty[j + 1]) r = ty[j];
      }
      out[k] = r;
    }
    return out;
  }

  /** Fitted thresholds (copies): x strictly increasing, y non-decreasing. */
  get thresholds(): { x: Float64Array; y: Float64Array } {
    const f = this.state();
    return { x: f.x.slice(), y: f.y.slice() };
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  toJSON(): IsotonicJSON {
    const f = this.state();
    return { kind: 'isotonic', version: 1, x: Array.from(f.x), y: Array.from(f.y) };
  }

  static fromJSON(doc: IsotonicJSON): IsotonicCalibrator {
    if (
      doc?.kind !== 'isotonic' ||
      doc.version !== 1 ||
      !Array.isArray(doc.x) ||
      doc.x.length !== doc.y?.length
    ) {
      throw new InputError(`not an isotonic calibrator document (kind ${String(doc?.kind)})`);
    }
    if (doc.x.length === 0) throw new InputError('isotonic calibrator document has no thresholds');
    const c = new IsotonicCalibrator();
    c.fitted = { x: Float64Array.from(doc.x), y: Float64Array.from(doc.y) };
    return c;
  }

  private state(): { x: Float64Array; y: Float64Array } {
    if (this.fitted === null) throw new NotFittedError('IsotonicCalibrator');
    return this.fitted;
  }
}

/**
 * Weighted pool-adjacent-violators in place, non-decreasing, sklearn's
 * algorithm: `target` links the first and last index of each active block;
 * a run that is not strictly increasing is merged into one block (weighted
 * mean), then the scan backtracks one block so that a merge that breaks the
 * order with the previous block is repaired. O(n) amortised.
 */
export function poolAdjacentViolators(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) target[i] = i;
  let i = 0;
  while (i < n) {
    let k = target[i] + 1;
    if (k === n) break;
    if (y[i] < y[k]) {
      i = k;
      continue;
    }
    let sumWy = w[i] * y[i];
    let sumW = w[i];
    for (;;) {
      const prevY = y[k];
      sumWy += w[k] * y[k];
      sumW += w[k];
      k = target[k] + 1;
      if (k === n || prevY < y[k]) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1];
        break;
      }
    }
  }
  i = 0;
  while (i < n) {
    const k = target[i] + 1;
    for (let j = i + 1; j < k; j++) y[j] = y[i];
    i = k;
  }
}
