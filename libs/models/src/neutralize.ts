/**
 * Style neutralisation (SPEC §6): per date, the residual of the least-squares
 * fit of alpha on [1, beta_252, size, momentum] across that date's rows.
 *
 * The residual of a least-squares fit is the projection of alpha onto the
 * orthogonal complement of the regressors' column space, which is unique
 * even when the regressors are collinear (a constant exposure, two equal
 * columns, fewer rows than columns) — only the coefficients are not, and
 * minimum-norm lstsq would pick one set of them. So instead of an SVD we
 * build an orthonormal basis of that column space by modified Gram–Schmidt
 * with a second orthogonalisation pass ("twice is enough"), dropping a column
 * whose remainder is below 1e-12 of its own norm (rank-revealing), and
 * subtract alpha's projection on each basis vector.
 *
 * Missing exposures are replaced by that date's mean of the exposure; an
 * exposure missing for every row of a date is constant on that date and adds
 * nothing beyond the intercept, so it is skipped.
 *
 * Cost O(n p²) per alpha column with p = 4; one scratch buffer per date.
 */
import { InputError } from '@alphafeed/core';

const RANK_TOL = 1e-12;

/**
 * @param alpha one value per row, rows sorted by date
 * @param exposures columns aligned with alpha (beta_252, size, momentum); NaN = missing
 * @param offsets rows of date d are [offsets[d], offsets[d + 1]) (core's `dateOffsets`)
 * @returns the residuals, zero-mean on every date
 */
export function neutralize(
  alpha: Float64Array,
  exposures: readonly Float64Array[],
  offsets: Int32Array,
): Float64Array {
  return neutralizeMany([alpha], exposures, offsets)[0];
}

/** Several alpha columns against the same exposures; the basis is built once per date. */
export function neutralizeMany(
  alphas: readonly Float64Array[],
  exposures: readonly Float64Array[],
  offsets: Int32Array,
): Float64Array[] {
  const n = alphas.length > 0 ? alphas[0].length : 0;
  for (let a = 0; a < alphas.length; a++) {
    const col = alphas[a];
    if (col.length !== n) throw new InputError(`alpha column ${a} has ${col.length} rows, column 0 has ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i])) throw new InputError(`alpha column ${a} is ${col[i]} at row ${i}`);
    }
  }
  for (let e = 0; e < exposures.length; e++) {
    if (exposures[e].length !== n)
      throw new InputError(`exposure ${e} has ${exposures[e].length} rows, alpha ${n}`);
    for (let i = 0; i < n; i++) {
      const v = exposures[e][i];
      if (v === Infinity || v === -Infinity) throw new InputError(`exposure ${e} is ${v} at row ${i}`);
    }
  }
  if (offsets.length < 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== n) {
    throw new InputError(`date offsets must start at 0 and end at the row count ${n}`);
  }
  for (let d = 1; d < offsets.length; d++) {
    if (offsets[d] < offsets[d - 1]) throw new InputError(`date offsets decrease at date ${d}`);
  }

  const out = alphas.map((a) => a.slice());
  const p = exposures.length + 1;
  let basis = new Float64Array(0);
  let v = new Float64Array(0);
  for (let d = 0; d + 1 < offsets.length; d++) {
    const start = offsets[d];
    const m = offsets[d + 1] - start;
    if (m === 0) continue;
    if (basis.length < p * m) {
      basis = new Float64Array(p * m);
      v = new Float64Array(m);
    }
    let rank = 0;
    for (let c = 0; c < p; c++) {
      if (!fillColumn(v, m, c === 0 ? null : exposures[c - 1], start)) continue;
      let norm0 = 0;
      for (let i = 0; i < m; i++) norm0 += v[i] * v[i];
      norm0 = Math.sqrt(norm0);
      if (norm0 === 0) continue;
      for (let pass = 0; pass < 2; pass++) {
        for (let q = 0; q < rank; q++) {
          const qb = q * m;
          let dot = 0;
          for (let i = 0; i < m; i++) dot += basis[qb + i] * v[i];
          for (let i = 0; i < m; i++) v[i] -= dot * basis[qb + i];
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm);
      if (norm <= RANK_TOL * norm0) continue;
      const qb = rank * m;
      for (let i = 0; i < m; i++) basis[qb + i] = v[i] / norm;
      rank++;
    }
    for (const r of out) {
      for (let q = 0; q < rank; q++) {
        const qb = q * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += basis[qb + i] * r[start + i];
        for (let i = 0; i < m; i++) r[start + i] -= dot * basis[qb + i];
      }
    }
  }
  return out;
}

/**
 * Writes a regressor column of one date into v: ones for the intercept, else
 * the exposure with NaN replaced by the date's mean. False when the exposure
 * is missing on every row of the date.
 */
function fillColumn(v: Float64Array, m: number, exposure: Float64Array | null, start: number): boolean {
  if (exposure === null) {
    v.fill(1, 0, m);
    return true;
  }
  let sum = 0;
  let count = 0;
  for (let i = 0; i < m; i++) {
    const x = exposure[start + i];
    if (x === x) {
      sum += x;
      count++;
    }
  }
  if (count === 0) return false;
  const mean = sum / count;
  for (let i = 0; i < m; i++) {
    const x = exposure[start + i];
    v[i] = x === x ? x : mean;
  }
  return true;
}
