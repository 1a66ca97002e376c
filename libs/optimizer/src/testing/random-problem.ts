/**
 * Test support: random rebalance problems with the awkward cases of a real
 * book: names without an alpha (only toward 0), names without a bar (frozen),
 * a drifted w0 slightly over max_weight, an empty industry, asymmetric costs.
 */
import { Rng } from '@alphafeed/core';
import type { FactorRisk } from '@alphafeed/risk';
import type { PortfolioMode, PortfolioProblem } from '../optimizer.types';

export interface RandomProblemOptions {
  readonly names: number;
  readonly industries: number;
  readonly mode: PortfolioMode;
  readonly seed: number;
  readonly firstRebalance: boolean;
}

export function randomRisk(names: number, industries: number, rng: Rng): FactorRisk {
  const G = industries;
  const K = G + 4;
  const exposures = new Float64Array(names * K);
  for (let i = 0; i < names; i++) {
    // Industry G - 1 stays empty: a zero column, as on a date where an industry has no member.
    exposures[i * K + rng.int(Math.max(1, G - 1))] = 1;
    for (let s = 0; s < 4; s++) exposures[i * K + G + s] = Math.max(-3, Math.min(3, rng.normal()));
  }
  const factorCovariance = new Float64Array(K * K);
  for (let d = 0; d < 60; d++) {
    const market = 0.01 * rng.normal();
    const f = Array.from({ length: K }, (_, k) =>
      k < G ? market + 0.005 * rng.normal() : 0.003 * rng.normal(),
    );
    for (let a = 0; a < K; a++) for (let b = 0; b < K; b++) factorCovariance[a * K + b] += (f[a] * f[b]) / 60;
  }
  const specificVariance = Float64Array.from({ length: names }, () => (0.01 + 0.02 * rng.uniform()) ** 2);
  return {
    length: names,
    factors: K,
    industryFactors: G,
    factorNames: [...Array.from({ length: G }, (_, g) => `G${g}`), 'beta_252', 'size', 'momentum', 'vol_60'],
    exposures,
    factorCovariance,
    specificVariance,
  };
}

export function randomProblem(options: RandomProblemOptions): PortfolioProblem {
  const { names: N, industries, mode, seed, firstRebalance } = options;
  const rng = new Rng(seed);
  const risk = randomRisk(N, industries, rng);
  const alphaBps = Float64Array.from({ length: N }, () => 60 * rng.normal());
  const hasAlpha = Uint8Array.from({ length: N }, () => (rng.uniform() < 0.1 ? 0 : 1));
  const hasBar = Uint8Array.from({ length: N }, () => (rng.uniform() < 0.05 ? 0 : 1));
  const benchmark = mode === 'long_only' ? new Float64Array(N).fill(1 / N) : null;
  const currentWeights = new Float64Array(N);
  if (!firstRebalance) {
    if (mode === 'long_short') {
      // A drifted industry-neutral-ish book: pairs of +/- weights, some a little over max_weight.
      for (let i = 0; i + 1 < N; i += 2) {
        const w = 0.006 + 0.005 * rng.uniform();
        currentWeights[i] = w;
        currentWeights[i + 1] = -w * (0.95 + 0.1 * rng.uniform());
      }
    } else {
      let sum = 0;
      for (let i = 0; i < N; i++) sum += currentWeights[i] = rng.uniform();
      for (let i = 0; i < N; i++) currentWeights[i] = Math.min(currentWeights[i] / sum, 1 / N + 0.02);
      const total = currentWeights.reduce((s, v) => s + v, 0);
      for (let i = 0; i < N; i++) currentWeights[i] /= total;
    }
  }
  return {
    alphaBps,
    hasAlpha,
    horizonDays: 10 + rng.int(30),
    currentWeights,
    hasBar,
    benchmark,
    risk,
    costs: mode === 'long_only' ? { buy: 2.5e-4, sell: 12.5e-4 } : { buy: 5e-4, sell: 5e-4 },
    firstRebalance,
  };
}
