/**
 * Small dense linear algebra for p × p systems (p = number of features, ~13),
 * float64, row-major Float64Array. The n × p passes (Gram matrix) live with
 * the callers so they can fuse centring into them.
 */

/**
 * Solves A x = b for a symmetric positive definite A by Cholesky (A = L L').
 * O(p³/3). Returns null when A is not numerically positive definite (a pivot
 * <= 0), so the caller can decide the fallback instead of receiving NaNs.
 * A and b are not modified.
 */
export function choleskySolve(A: Float64Array, b: Float64Array, p: number): Float64Array | null {
  const L = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * p + j];
      for (let k = 0; k < j; k++) s -= L[i * p + k] * L[j * p + k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * p + i] = Math.sqrt(s);
      } else {
        L[i * p + j] = s / L[j * p + j];
      }
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * p + k] * z[k];
    z[i] = s / L[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < p; k++) s -= L[k * p + i] * x[k];
    x[i] = s / L[i * p + i];
  }
  return x;
}

/**
 * Mean of each column of a row-major n × p matrix, with Neumaier-compensated
 * sums so that the centring does not lose digits on long columns. O(n p).
 */
export function columnMeans(values: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const sum = new Float64Array(cols);
  const comp = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = values[base + j];
      const t = sum[j] + v;
      comp[j] += Math.abs(sum[j]) >= Math.abs(v) ? sum[j] - t + v : v - t + sum[j];
      sum[j] = t;
    }
  }
  const mean = new Float64Array(cols);
  for (let j = 0; j < cols; j++) mean[j] = rows > 0 ? (sum[j] + comp[j]) / rows : NaN;
  return mean;
}

/** Neumaier-compensated mean of a vector. */
export function mean(v: ArrayLike<number>): number {
  let sum = 0;
  let comp = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const t = sum + x;
    comp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
    sum = t;
  }
  return v.length > 0 ? (sum + comp) / v.length : NaN;
}
