/**
 * Ridge regression with an unpenalised intercept, scikit-learn `Ridge`
 * semantics (SPEC §6): centre X and y, solve (Xc'Xc + αI) b = Xc'yc by
 * Cholesky, intercept = ȳ − x̄·b. Float64 throughout, whatever the input
 * array type. Cost: one O(n p²) pass for the Gram matrix plus O(p³); memory
 * O(p²) — X is never copied or centred in place.
 */
import { InputError, type DenseMatrix } from '@alphafeed/core';
import type { Estimator } from './estimator';
import { NotFittedError } from './errors';
import { choleskySolve, columnMeans, mean } from './linalg';
import { checkFitInput, checkMatrix, checkPositive } from './validate';

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

export class RidgeModel implements Estimator<DenseMatrix, RidgeParams> {
  private readonly options: RidgeParams;
  private fitted: { coef: Float64Array; intercept: number } | null = null;

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
    const { rows: n, cols: p, values } = X;
    const xMean = columnMeans(values, n, p);
    const yMean = mean(y);

    // Upper triangle of Xc'Xc and Xc'yc in one pass over the rows.
    const A = new Float64Array(p * p);
    const b = new Float64Array(p);
    const xc = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      const base = i * p;
      for (let j = 0; j < p; j++) xc[j] = values[base + j] - xMean[j];
      const yc = y[i] - yMean;
      for (let j = 0; j < p; j++) {
        const xj = xc[j];
        b[j] += xj * yc;
        const row = j * p;
        for (let k = j; k < p; k++) A[row + k] += xj * xc[k];
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
    this.fitted = { coef, intercept };
    return this;
  }

  predict(X: DenseMatrix): Float64Array {
    const f = this.state();
    checkMatrix(X);
    if (X.cols !== f.coef.length) {
      throw new InputError(`X has ${X.cols} columns but the Ridge model was fitted on ${f.coef.length}`);
    }
    const { rows, cols, values } = X;
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const base = i * cols;
      for (let j = 0; j < cols; j++) s += values[base + j] * f.coef[j];
      out[i] = s + f.intercept;
    }
    return out;
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

  private state(): { coef: Float64Array; intercept: number } {
    if (this.fitted === null) throw new NotFittedError('RidgeModel');
    return this.fitted;
  }
}
