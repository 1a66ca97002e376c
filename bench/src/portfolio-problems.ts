/**
 * Synthetic rebalance problems for the portfolio benchmarks, generated
 * directly (not through the feature pipeline) so that N and K are exact:
 * `industries` 0/1 columns with Zipf-like sizes, four standardised styles,
 * F the SPEC EWMA (half-life 90) of 252 simulated factor returns with a
 * common market move in every industry factor, specific vols 1-3 % a day,
 * alphas ~40 bps with week-to-week autocorrelation 0.8, H = 21, and w0 the
 * previous date's solution drifted by a week of returns (so the turnover
 * limit binds as it does in a backtest). Seeded; same input, same problems.
 */
import { Rng } from '@alphafeed/core';
import type { FactorRisk } from '@alphafeed/risk';
import type { PortfolioMode, PortfolioProblem } from '@alphafeed/optimizer';

export interface SyntheticBookOptions {
  readonly names: number;
  readonly industries: number;
  readonly mode: PortfolioMode;
  readonly seed: number;
}

export interface SyntheticBook {
  readonly risk: FactorRisk;
  readonly benchmark: Float64Array | null;
  /** Next date's problem given the weights just decided (null on the first date). */
  next(weights: Float64Array | null): PortfolioProblem;
}

export function syntheticBook(options: SyntheticBookOptions): SyntheticBook {
  const { names: N, industries: G, mode, seed } = options;
  const rng = new Rng(seed);
  const K = G + 4;
  const exposures = new Float64Array(N * K);
  // Zipf-like industry sizes: industry g drawn with probability ~ 1 / (g + 3).
  const cumulative = new Float64Array(G);
  let total = 0;
  for (let g = 0; g < G; g++) cumulative[g] = total += 1 / (g + 3);
  for (let i = 0; i < N; i++) {
    const u = rng.uniform() * total;
    let g = 0;
    while (cumulative[g] < u) g++;
    exposures[i * K + g] = 1;
  }
  for (let s = 0; s < 4; s++) {
    let mean = 0;
    let sq = 0;
    const column = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      column[i] = Math.max(-3, Math.min(3, rng.normal()));
      mean += column[i];
    }
    mean /= N;
    for (let i = 0; i < N; i++) sq += (column[i] - mean) ** 2;
    const sd = Math.sqrt(sq / N);
    for (let i = 0; i < N; i++) exposures[i * K + G + s] = (column[i] - mean) / sd;
  }
  const factorCovariance = new Float64Array(K * K);
  const decay = Math.pow(0.5, 1 / 90);
  let weightSum = 0;
  const f = new Float64Array(K);
  for (let d = 0; d < 252; d++) {
    const w = Math.pow(decay, 251 - d);
    const market = 0.01 * rng.normal();
    for (let g = 0; g < G; g++) f[g] = market + 0.006 * rng.normal();
    for (let s = 0; s < 4; s++) f[G + s] = 0.003 * rng.normal();
    for (let a = 0; a < K; a++) for (let b = a; b < K; b++) factorCovariance[a * K + b] += w * f[a] * f[b];
    weightSum += w;
  }
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      factorCovariance[a * K + b] /= weightSum;
      factorCovariance[b * K + a] = factorCovariance[a * K + b];
    }
  }
  const specificVariance = new Float64Array(N);
  for (let i = 0; i < N; i++) specificVariance[i] = (0.01 + 0.02 * rng.uniform()) ** 2;
  const risk: FactorRisk = {
    length: N,
    factors: K,
    industryFactors: G,
    factorNames: [
      ...Array.from({ length: G }, (_, g) => `industry_${g}`),
      'beta_252',
      'size',
      'momentum',
      'vol_60',
    ],
    exposures,
    factorCovariance,
    specificVariance,
  };
  const benchmark = mode === 'long_only' ? new Float64Array(N).fill(1 / N) : null;
  const alpha = new Float64Array(N);
  for (let i = 0; i < N; i++) alpha[i] = 40 * rng.normal();
  let first = true;
  return {
    risk,
    benchmark,
    next(weights) {
      const w0 = new Float64Array(N);
      if (!first) {
        for (let i = 0; i < N; i++) alpha[i] = 0.8 * alpha[i] + 0.6 * 40 * rng.normal();
        if (weights !== null) {
          // A week of returns: drift the book as the backtest does.
          let gross = 0;
          const r = new Float64Array(N);
          for (let i = 0; i < N; i++) {
            r[i] = 0.045 * rng.normal();
            gross += weights[i] * r[i];
          }
          for (let i = 0; i < N; i++) w0[i] = (weights[i] * (1 + r[i])) / (1 + gross);
        }
      }
      const hasBar = new Uint8Array(N).fill(1);
      const problem: PortfolioProblem = {
        alphaBps: Float64Array.from(alpha),
        hasAlpha: null,
        horizonDays: 21,
        currentWeights: w0,
        hasBar,
        benchmark,
        risk,
        costs: { buy: 5e-4, sell: 5e-4 },
        firstRebalance: first,
      };
      first = false;
      return problem;
    },
  };
}
