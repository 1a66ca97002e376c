/**
 * Cross-sectional factor regression of one date (SPEC §10): the returns of
 * d on the exposures of d - 1, no intercept, minimum-norm least squares.
 *
 * Method: the normal matrix X'X and X'r are accumulated from the structure
 * of X (one industry 1 per row, four styles): O(rows * 15) instead of
 * O(rows * K^2). Columns that are exactly zero (an industry with no row, a
 * style missing everywhere) are dropped, so their factor return is exactly
 * 0, as the SPEC asks. The rest is solved by the pseudo-inverse of X'X from
 * its symmetric eigendecomposition (ml-matrix, O(K^3), K ~ 40): for X'X the
 * pseudo-inverse solution `(X'X)^+ X'r` is the minimum-norm least-squares
 * solution `X^+ r`. Eigenvalues below `K * 8 * eps * max` are treated as
 * zero (any exact collinearity left, e.g. a style that is constant within
 * one industry that is alone in the regression); in singular-value terms
 * that is a relative cut of ~3e-7, where normal equations lose their digits.
 * Conditioning of X'X with standardised styles and industry counts is ~1e2
 * to 1e4, so f agrees with an SVD solve of X to ~1e-12 relative.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

export class FactorRegressionKernel {
  readonly factors: number;
  private readonly xtx: Float64Array;
  private readonly xtr: Float64Array;
  private rows = 0;

  constructor(
    private readonly industries: number,
    private readonly styles: number,
  ) {
    this.factors = industries + styles;
    this.xtx = new Float64Array(this.factors * this.factors);
    this.xtr = new Float64Array(this.factors);
  }

  get rowCount(): number {
    return this.rows;
  }

  reset(): void {
    this.xtx.fill(0);
    this.xtr.fill(0);
    this.rows = 0;
  }

  /** One row: industry column `g`, styles `style[at .. at + styles)`, return r. Upper triangle only. */
  add(g: number, style: Float64Array, at: number, r: number): void {
    const K = this.factors;
    const G = this.industries;
    const S = this.styles;
    const xtx = this.xtx;
    const xtr = this.xtr;
    xtx[g * K + g] += 1;
    xtr[g] += r;
    for (let a = 0; a < S; a++) {
      const sa = style[at + a];
      xtx[g * K + G + a] += sa;
      xtr[G + a] += sa * r;
      for (let b = a; b < S; b++) xtx[(G + a) * K + G + b] += sa * style[at + b];
    }
    this.rows++;
  }

  /** Writes f (K) into `out`: 0 for dropped columns, the minimum-norm solution elsewhere. */
  solve(out: Float64Array): void {
    const K = this.factors;
    const xtx = this.xtx;
    out.fill(0);
    const kept: number[] = [];
    for (let k = 0; k < K; k++) if (xtx[k * K + k] !== 0) kept.push(k);
    const n = kept.length;
    if (n === 0) return;
    const normal = new Matrix(n, n);
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        const v = xtx[kept[a] * K + kept[b]];
        normal.set(a, b, v);
        normal.set(b, a, v);
      }
    }
    const eig = new EigenvalueDecomposition(normal, { assumeSymmetric: true });
    const lambda = eig.realEigenvalues;
    const V = eig.eigenvectorMatrix;
    let max = 0;
    for (let j = 0; j < n; j++) if (lambda[j] > max) max = lambda[j];
    const cut = max * n * 8 * Number.EPSILON;
    // f = V diag(1/lambda) V' X'r over the kept eigenpairs.
    for (let j = 0; j < n; j++) {
      if (!(lambda[j] > cut)) continue;
      let projection = 0;
      for (let a = 0; a < n; a++) projection += V.get(a, j) * this.xtr[kept[a]];
      const scaled = projection / lambda[j];
      for (let a = 0; a < n; a++) out[kept[a]] += V.get(a, j) * scaled;
    }
  }
}
