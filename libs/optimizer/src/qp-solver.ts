/**
 * The port every QP solver adapter implements, and the solver-independent
 * accuracy check of what it returned. Adapters translate `QpForm` to their
 * solver's native shape and back; they never decide anything about the
 * portfolio.
 */
import type { CscMatrix, QpForm } from './qp-form';

export type QpOutcome = 'solved' | 'infeasible' | 'failed';

export interface QpSolution {
  readonly outcome: QpOutcome;
  /** The solver's own status word. */
  readonly status: string;
  readonly x: Float64Array;
  /**
   * Multipliers in the convention `P x + c + A'rowDual + colDual = 0`, with
   * rowDual_i <= 0 where row i sits at its lower bound, >= 0 at its upper
   * bound (the same for colDual and the variable bounds).
   */
  readonly rowDual: Float64Array;
  readonly colDual: Float64Array;
  readonly iterations: number;
  /** ½x'Px + c'x as the solver reports it. */
  readonly objective: number;
  readonly ms: number;
}

export interface QpSolver {
  readonly name: string;
  solve(form: QpForm, tolerance: number): QpSolution;
}

/** y = M x for a CSC matrix. O(nnz). */
export function cscMultiply(M: CscMatrix, x: Float64Array, out = new Float64Array(M.rows)): Float64Array {
  out.fill(0);
  for (let j = 0; j < M.cols; j++) {
    const xj = x[j];
    if (xj === 0) continue;
    for (let k = M.colStart[j]; k < M.colStart[j + 1]; k++) out[M.rowIndex[k]] += M.value[k] * xj;
  }
  return out;
}

/** y = M' x for a CSC matrix. O(nnz). */
export function cscMultiplyTransposed(
  M: CscMatrix,
  x: Float64Array,
  out = new Float64Array(M.cols),
): Float64Array {
  for (let j = 0; j < M.cols; j++) {
    let s = 0;
    for (let k = M.colStart[j]; k < M.colStart[j + 1]; k++) s += M.value[k] * x[M.rowIndex[k]];
    out[j] = s;
  }
  return out;
}

/** The transpose in CSC (= the matrix in CSR). Counting sort by row: O(nnz + rows), rows stay sorted. */
export function cscTranspose(M: CscMatrix): CscMatrix {
  const nnz = M.colStart[M.cols];
  const colStart = new Int32Array(M.rows + 1);
  for (let k = 0; k < nnz; k++) colStart[M.rowIndex[k] + 1]++;
  for (let r = 0; r < M.rows; r++) colStart[r + 1] += colStart[r];
  const next = colStart.slice(0, M.rows);
  const rowIndex = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  for (let j = 0; j < M.cols; j++) {
    for (let k = M.colStart[j]; k < M.colStart[j + 1]; k++) {
      const at = next[M.rowIndex[k]]++;
      rowIndex[at] = j;
      value[at] = M.value[k];
    }
  }
  return { rows: M.cols, cols: M.rows, colStart, rowIndex, value };
}

/** P x for the symmetric P stored as its upper triangle. O(nnz). */
export function symmetricMultiply(P: CscMatrix, x: Float64Array): Float64Array {
  const out = new Float64Array(P.rows);
  for (let j = 0; j < P.cols; j++) {
    for (let k = P.colStart[j]; k < P.colStart[j + 1]; k++) {
      const i = P.rowIndex[k];
      const v = P.value[k];
      out[i] += v * x[j];
      if (i !== j) out[j] += v * x[i];
    }
  }
  return out;
}

export interface KktResiduals {
  /** Max bound or row violation (absolute). */
  readonly primal: number;
  /** Max |P x + c + A'rowDual + colDual| (absolute). */
  readonly stationarity: number;
  /** Max multiplier of the wrong sign for the side it sits on (absolute). */
  readonly dualSign: number;
  /** Max |multiplier x distance to its bound| (complementary slackness). */
  readonly complementarity: number;
  /** Sum of |multiplier x distance to its bound|: the duality gap of a QP at (x, duals). */
  readonly gap: number;
  /** ½x'Px + c'x at x. */
  readonly objective: number;
}

/**
 * The KKT conditions of `form` at (x, rowDual, colDual), in the sign
 * convention of `QpSolution`. A multiplier on a row with both bounds finite
 * may take either sign; its complementarity is measured against the bound
 * its sign points to. O(nnz).
 */
export function kktResiduals(
  form: QpForm,
  x: Float64Array,
  rowDual: Float64Array,
  colDual: Float64Array,
): KktResiduals {
  const Ax = cscMultiply(form.A, x);
  const Px = symmetricMultiply(form.P, x);
  const Aty = cscMultiplyTransposed(form.A, rowDual);
  let primal = 0;
  let dualSign = 0;
  let complementarity = 0;
  let gap = 0;
  const side = (value: number, lower: number, upper: number, multiplier: number): void => {
    primal = Math.max(primal, lower - value, value - upper);
    if (multiplier > 0) {
      if (upper === Infinity) dualSign = Math.max(dualSign, multiplier);
      else {
        const product = Math.abs(multiplier * (upper - value));
        complementarity = Math.max(complementarity, product);
        gap += product;
      }
    } else if (multiplier < 0) {
      if (lower === -Infinity) dualSign = Math.max(dualSign, -multiplier);
      else {
        const product = Math.abs(multiplier * (value - lower));
        complementarity = Math.max(complementarity, product);
        gap += product;
      }
    }
  };
  for (let r = 0; r < form.constraints; r++) side(Ax[r], form.rowLower[r], form.rowUpper[r], rowDual[r]);
  let stationarity = 0;
  let quadratic = 0;
  let linear = 0;
  for (let j = 0; j < form.variables; j++) {
    side(x[j], form.varLower[j], form.varUpper[j], colDual[j]);
    stationarity = Math.max(stationarity, Math.abs(Px[j] + form.c[j] + Aty[j] + colDual[j]));
    quadratic += x[j] * Px[j];
    linear += form.c[j] * x[j];
  }
  return { primal, stationarity, dualSign, complementarity, gap, objective: 0.5 * quadratic + linear };
}
