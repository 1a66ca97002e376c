/**
 * Ridge regression with an unpenalised intercept, scikit-learn `Ridge`
 * semantics (SPEC §6): centre X and y, solve (Xc'Xc + αI) b = Xc'yc by
 * Cholesky, intercept = ȳ − x̄·b. Float64 throughout, whatever the input
 * array type. Cost: one O(n p²) pass for the Gram matrix plus O(p³); memory
 * O(p²) — X is never copied or centred in place, and `fitRows` /
 * `predictRows` read the rows straight from the caller's columns.
 */
import { InputError, type DenseMatrix } from '@alphafeed/core';
import type { Estimator } from './estimator';
import { NotFittedError } from './errors';
import type { ColumnRows } from './dense';
import { choleskySolve, mean } from './linalg';
import { checkColumnRows, checkFitInput, checkMatrix, checkPositive, checkVector } from './validate';

export interface RidgeOptions {
  /** L2 penalty on the coefficients (not on the intercept). Default 3.0 (SPEC §6). */
  readonly alpha?: number;
}

export interface RidgeParams {
  readonly alpha: number;
}

export interface RidgeJSON {
  readonly kind: 'ridge';
  readonly version: 1;
  readonly params: RidgeParams;
  readonly coef: number[];
  readonly intercept: number;
}

export const RIDGE_DEFAULTS: RidgeParams = { alpha: 3.0 };

/** Rows per block of the Gram pass (p × 2,048 float64 stays in L2 for p ≈ 13). */
const GRAM_BLOCK_ROWS = 2048;

interface Fitted {
  coef: Float64Array;
  intercept: number;
}

/**
 * Copies row i of the input into `out` (length = columns). Both fit paths
 * (packed matrix, columns read in place) run one kernel through a loader, so
 * they share their arithmetic by construction, not by care.
 */
type RowLoader = (i: number, out: Float64Array) => void;

function denseLoader(values: ArrayLike<number>, p: number): RowLoader {
  return (i, out) => {
    const base = i * p;
    for (let j = 0; j < p; j++) out[j] = values[base + j];
  };
}

function columnLoader({ columns, rows }: ColumnRows): RowLoader {
  const p = columns.length;
  return rows === undefined
    ? (i, out) => {
        for (let j = 0; j < p; j++) out[j] = columns[j][i];
      }
    : (i, out) => {
        const r = rows[i];
        for (let j = 0; j < p; j++) out[j] = columns[j][r];
      };
}

/** X b + intercept, row by row, the dot product summed in column order. */
function predictLoaded(f: Fitted, n: number, load: RowLoader): Float64Array {
  const p = f.coef.length;
  const x = new Float64Array(p);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    load(i, x);
    let s = 0;
    for (let j = 0; j < p; j++) s += x[j] * f.coef[j];
    out[i] = s + f.intercept;
  }
  return out;
}

export class RidgeModel implements Estimator<DenseMatrix, RidgeParams> {
  private readonly options: RidgeParams;
  private fitted: Fitted | null = null;

  constructor(options: RidgeOptions = {}) {
    this.options = { alpha: options.alpha ?? RIDGE_DEFAULTS.alpha };
  }

  params(): RidgeParams {
    return { ...this.options };
  }

  fit(X: DenseMatrix, y: Float64Array): this {
    checkPositive(this.options.alpha, 'RidgeOptions.alpha', true);
    checkFitInput(X, y, 1);
    this.fitted = null;
    this.fitted = this.solve(X.rows, X.cols, denseLoader(X.values, X.cols), y);
    return this;
  }

  /**
   * `fit` on rows read in place from columns (no packed copy of X): the same
   * arithmetic in the same order, so the coefficients are bit-identical to
   * `fit(denseFromColumns(columns, { rows }), y)`.
   */
  fitRows(src: ColumnRows, y: Float64Array): this {
    checkPositive(this.options.alpha, 'RidgeOptions.alpha', true);
    const n = checkColumnRows(src);
    if (n < 1) throw new InputError(`X has ${n} rows; fitting needs at least 1`);
    checkVector(y, n, 'y');
    this.fitted = null;
    this.fitted = this.solve(n, src.columns.length, columnLoader(src), y);
    return this;
  }

  predict(X: DenseMatrix): Float64Array {
    const f = this.state();
    checkMatrix(X);
    if (X.cols !== f.coef.length) {
      throw new InputError(`X has ${X.cols} columns but the Ridge model was fitted on ${f.coef.length}`);
    }
    return predictLoaded(f, X.rows, denseLoader(X.values, X.cols));
  }

  /** `predict` on rows read in place from columns; bit-identical to predicting their packed copy. */
  predictRows(src: ColumnRows): Float64Array {
    const f = this.state();
    const n = checkColumnRows(src);
    if (src.columns.length !== f.coef.length) {
      throw new InputError(
        `X has ${src.columns.length} columns but the Ridge model was fitted on ${f.coef.length}`,
      );
    }
    return predictLoaded(f, n, columnLoader(src));
  }

  /**
   * Centred normal equations from n rows of p values, each row fetched once
   * per pass into a p-vector: column means (Neumaier-compensated, exactly
   * `columnMeans`), then the upper triangle of Xc'Xc and Xc'yc in one pass.
   */
  private solve(n: number, p: number, load: RowLoader, y: Float64Array): Fitted {
    const x = new Float64Array(p);
    const sum = new Float64Array(p);
    const comp = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      load(i, x);
      for (let j = 0; j < p; j++) {
        const v = x[j];
        const t = sum[j] + v;
        comp[j] += Math.abs(sum[j]) >= Math.abs(v) ? sum[j] - t + v : v - t + sum[j];
        sum[j] = t;
      }
    }
    const xMean = new Float64Array(p);
    for (let j = 0; j < p; j++) xMean[j] = n > 0 ? (sum[j] + comp[j]) / n : NaN;
    const yMean = mean(y);

    // Upper triangle of Xc'Xc and Xc'yc in one pass over the rows, a block of
    // centred rows at a time laid out by column, so each entry is a tight dot
    // product. Every entry still adds its row terms in row order, so the sums
    // are exactly those of a row-by-row pass.
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    const block = new Float64Array(p * GRAM_BLOCK_ROWS);
    const yc = new Float64Array(GRAM_BLOCK_ROWS);
    for (let i0 = 0; i0 < n; i0 += GRAM_BLOCK_ROWS) {
      const m = Math.min(GRAM_BLOCK_ROWS, n - i0);
      for (let t = 0; t < m; t++) {
        load(i0 + t, x);
        for (let j = 0; j < p; j++) block[j * GRAM_BLOCK_ROWS + t] = x[j] - xMean[j];
        yc[t] = y[i0 + t] - yMean;
      }
      for (let j = 0; j < p; j++) {
        const cj = j * GRAM_BLOCK_ROWS;
        let bj = b[j];
        for (let t = 0; t < m; t++) bj += block[cj + t] * yc[t];
        b[j] = bj;
        for (let k = j; k < p; k++) {
          const ck = k * GRAM_BLOCK_ROWS;
          let a = A[j * p + k];
          for (let t = 0; t < m; t++) a += block[cj + t] * block[ck + t];
          A[j * p + k] = a;
        }
      }
    }
    for (let j = 0; j < p; j++) {
      for (let k = 0; k < j; k++) A[j * p + k] = A[k * p + j];
      A[j * p + j] += this.options.alpha;
    }
    const coef = choleskySolve(A, b, p);
    if (coef === null) {
      throw new InputError(
        `Ridge system is singular (alpha = ${this.options.alpha} with collinear or constant columns): use alpha > 0`,
      );
    }
    let intercept = yMean;
    for (let j = 0; j < p; j++) intercept -= xMean[j] * coef[j];
    return { coef, intercept };
  }

  /** Fitted coefficients in column order (a copy). */
  get coef(): Float64Array {
    return this.state().coef.slice();
  }

  get intercept(): number {
    return this.state().intercept;
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  toJSON(): RidgeJSON {
    const f = this.state();
    return {
      kind: 'ridge',
      version: 1,
      params: this.params(),
      coef: Array.from(f.coef),
      intercept: f.intercept,
    };
  }

  static fromJSON(doc: RidgeJSON): RidgeModel {
    if (
      doc?.kind !== 'ridge' ||
      doc.version !== 1 ||
      !Array.isArray(doc.coef) ||
      typeof doc.intercept !== 'number'
    ) {
      throw new InputError(
        `not a ridge model document (kind ${String(doc?.kind)}, version ${String(doc?.version)})`,
      );
    }
    const model = new RidgeModel(doc.params);
    model.fitted = { coef: Float64Array.from(doc.coef), intercept: doc.intercept };
    return model;
  }

  private state(): Fitted {
    if (this.fitted === null) throw new NotFittedError('RidgeModel');
    return this.fitted;
  }
}
