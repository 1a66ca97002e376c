import { InputError } from '@alphafeed/core';
import type { FactorRisk } from './risk.types';

/**
 * Ex-ante daily variance of active weights `a = w - b` in factor form (SPEC
 * §10): `y'F y + sum_i s_i^2 a_i^2` with `y = X'a`. O(N K + K^2); the dense
 * N x N Sigma is never formed. Its square root is the ex-ante daily vol used
 * by the bias statistic.
 */
export function exAnteVariance(risk: FactorRisk, active: Float64Array): number {
  const N = risk.length;
  const K = risk.factors;
  if (active.length !== N) {
    throw new InputError(
      `exAnteVariance: ${active.length} active weights for a risk model of ${N} names; pass one weight per name`,
    );
  }
  const X = risk.exposures;
  const y = new Float64Array(K);
  let specific = 0;
  for (let i = 0; i < N; i++) {
    const a = active[i];
    if (a === 0) continue;
    specific += risk.specificVariance[i] * a * a;
    const row = i * K;
    for (let k = 0; k < K; k++) y[k] += X[row + k] * a;
  }
  let factor = 0;
  const F = risk.factorCovariance;
  for (let a = 0; a < K; a++) {
    let s = 0;
    for (let b = 0; b < K; b++) s += F[a * K + b] * y[b];
    factor += y[a] * s;
  }
  return factor + specific;
}
