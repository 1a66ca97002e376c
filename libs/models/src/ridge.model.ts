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

/** Rows per block of the loaders (p × 2,048 float64 stays in L2 for p ≈ 13). */
const BLOCK_ROWS = 2048;

interface Fitted {
  coef: Float64Array;
  intercept: number;
}

/**
 * Copies rows [i0, i0 + m) of the input into `block`, column by column
 * (`block[j * BLOCK_ROWS + t]` = value of row i0 + t, column j). Both fit
 * paths (packed matrix, columns read in place) run one kernel through a
 * loader, so they share their arithmetic by construction, not by care; by
 * column, a gather from the frame's columns reads each one in row order.
 */
type BlockLoader = (i0: number, m: number, block: Float64Array) => void;

function denseLoader(values: ArrayLike<number>, p: number): BlockLoader {
  return (i0, m, block) => {
    for (let j = 0; j < p; j++) {
      const c = j * BLOCK_ROWS;
      for (let t = 0; t < m; t++) block[c + t] = values[(i0 + t) * p + j];
    }
  };
}

function columnLoader({ columns, rows }: ColumnRows): BlockLoader {
  return (i0, m, block) => {
    for (let j = 0; j < columns.length; j++) {
      const col = columns[j];
      const c = j * BLOCK_ROWS;
      if (rows === undefined) for (let t = 0; t < m; t++) block[c + t] = col[i0 + t];
      else for (let t = 0; t < m; t++) block[c + t] = col[rows[i0 + t]];
    }
  };
}

/** X b + intercept, row by row, the dot product summed in column order. */
function predictLoaded(f: Fitted, n: number, load: BlockLoader): Float64Array {
  const p = f.coef.length;
  const block = new Float64Array(p * BLOCK_ROWS);
  const out = new Float64Array(n);
  for (let i0 = 0; i0 < n; i0 += BLOCK_ROWS) {
    const m = Math.min(BLOCK_ROWS, n - i0);
    load(i0, m, block);
    for (let t = 0; t < m; t++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += block[j * BLOCK_ROWS + t] * f.coef[j];
      out[i0 + t] = s + f.intercept;
    }
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
   * Centred normal equations from n rows of p values, fetched a block at a
   * time in two passes: column means (Neumaier-compensated, exactly
   * `columnMeans`), then the upper triangle of Xc'Xc and Xc'yc.
   */
  private solve(n: number, p: number, load: BlockLoader, y: Float64Array): Fitted {
    // One block buffer for both passes, with room for yc and a padding column.
    const q = p + 1;
    const qq = q + (q & 1);
    const xy = new Float64Array(qq * BLOCK_ROWS);
    const sum = new Float64Array(p);
    const comp = new Float64Array(p);
    for (let i0 = 0; i0 < n; i0 += BLOCK_ROWS) {
      const m = Math.min(BLOCK_ROWS, n - i0);
      load(i0, m, xy);
      for (let j = 0; j < p; j++) {
        const c = j * BLOCK_ROWS;
        let sj = sum[j];
        let cj = comp[j];
        for (let t = 0; t < m; t++) {
          const v = xy[c + t];
          const u = sj + v;
          cj += Math.abs(sj) >= Math.abs(v) ? sj - u + v : v - u + sj;
          sj = u;
        }
        sum[j] = sj;
        comp[j] = cj;
      }
    }
    const xMean = new Float64Array(p);
    for (let j = 0; j < p; j++) xMean[j] = n > 0 ? (sum[j] + comp[j]) / n : NaN;
    const yMean = mean(y);

    // Upper triangle of Xc'Xc and Xc'yc in one more pass: the Gram matrix of
    // [Xc | yc], a block of centred rows at a time, by 2 x 2 tiles of entries
    // (four products per four loads). Every entry still adds its row terms in
    // row order from 0, so the sums are exactly those of a row-by-row pass.
    const G = new Float64Array(qq * qq);
    for (let i0 = 0; i0 < n; i0 += BLOCK_ROWS) {
      const m = Math.min(BLOCK_ROWS, n - i0);
      load(i0, m, xy);
      for (let j = 0; j < p; j++) {
        const c = j * BLOCK_ROWS;
        for (let t = 0; t < m; t++) xy[c + t] -= xMean[j];
      }
      for (let t = 0; t < m; t++) xy[p * BLOCK_ROWS + t] = y[i0 + t] - yMean;
      for (let j = 0; j < qq; j += 2) {
        const c0 = j * BLOCK_ROWS;
        const c1 = c0 + BLOCK_ROWS;
        for (let k = j; k < qq; k += 2) {
          const d0 = k * BLOCK_ROWS;
          const d1 = d0 + BLOCK_ROWS;
          let a00 = G[j * qq + k];
          let a01 = G[j * qq + k + 1];
          let a10 = G[(j + 1) * qq + k];
          let a11 = G[(j + 1) * qq + k + 1];
          for (let t = 0; t < m; t++) {
            const x0 = xy[c0 + t];
            const x1 = xy[c1 + t];
            const z0 = xy[d0 + t];
            const z1 = xy[d1 + t];
            a00 += x0 * z0;
            a01 += x0 * z1;
            a10 += x1 * z0;
            a11 += x1 * z1;
          }
          G[j * qq + k] = a00;
          G[j * qq + k + 1] = a01;
          G[(j + 1) * qq + k] = a10;
          G[(j + 1) * qq + k + 1] = a11;
        }
      }
    }
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      for (let k = j; k < p; k++) A[j * p + k] = G[j * qq + k];
      b[j] = G[j * qq + p];
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
