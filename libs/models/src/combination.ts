/**
 * Inverse-variance combination of the per-horizon alphas (SPEC §6).
 * Degenerate input (a non-finite or non-positive variance, fewer than two
 * residuals) throws `InputError`: a weight of NaN or Infinity must never
 * reach a published alpha.
 */
import { InputError } from '@alphafeed/core';

/** w_k = (1/var_k) / Σ_j (1/var_j); sums to 1 up to rounding. O(K). */
export function combinationWeights(vars: ArrayLike<number>): Float64Array {
  const k = vars.length;
  if (k === 0) throw new InputError('combinationWeights needs at least one variance');
  let total = 0;
  for (let i = 0; i < k; i++) {
    const v = vars[i];
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new InputError(`variance ${i} is ${v}; inverse-variance weights need finite variances > 0`);
    }
    total += 1 / v;
  }
  const w = new Float64Array(k);
  for (let i = 0; i < k; i++) w[i] = 1 / vars[i] / total;
  return w;
}

/**
 * Sample variance (ddof = 1) of `labelBps - alpha` over the given rows (the
 * covered OOF rows, alpha before neutralisation and clipping). Two passes —
 * mean, then squared deviations — like numpy's `var`, so no cancellation.
 */
export function residualVariance(labelBps: Float64Array, alpha: Float64Array): number {
  const n = labelBps.length;
  if (alpha.length !== n) throw new InputError(`residualVariance: ${n} labels but ${alpha.length} alphas`);
  if (n < 2) throw new InputError(`residualVariance needs at least 2 rows, got ${n}`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = labelBps[i] - alpha[i];
    if (!Number.isFinite(e))
      throw new InputError(`residual at row ${i} is ${e} (label ${labelBps[i]}, alpha ${alpha[i]})`);
    sum += e;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = labelBps[i] - alpha[i] - mean;
    ss += d * d;
  }
  return ss / (n - 1);
}

/** Weighted sum Σ_k w_k · alpha_k, row by row. O(n K). */
export function combineAlphas(alphas: readonly Float64Array[], weights: ArrayLike<number>): Float64Array {
  if (alphas.length !== weights.length || alphas.length === 0) {
    throw new InputError(`combineAlphas: ${alphas.length} alpha columns but ${weights.length} weights`);
  }
  const n = alphas[0].length;
  const out = new Float64Array(n);
  for (let k = 0; k < alphas.length; k++) {
    const a = alphas[k];
    if (a.length !== n) throw new InputError(`alpha column ${k} has ${a.length} rows, column 0 has ${n}`);
    const w = weights[k];
    for (let i = 0; i < n; i++) out[i] += w * a[i];
  }
  return out;
}
