/**
 * SPEC §11: an infeasible problem relaxes the turnover limit, then the style
 * bounds, then industry neutrality (to |x_g'w| <= industry_bound), in that
 * order and only as far as needed; still infeasible keeps w0 with the reason.
 * The problems are built by hand so that exactly one constraint group makes
 * them infeasible.
 */
import { Rng } from '@alphafeed/core';
import type { FactorRisk } from '@alphafeed/risk';
import { optimizeWeights } from './index';
import type { PortfolioMode, PortfolioProblem } from './index';

const N = 40;
const G = 4;
const K = G + 4;

/** Name 0 is alone in industry 0; names 1.. spread over industries 1..3; styles are 0 except where set. */
function handProblem(
  mode: PortfolioMode,
  edit: (p: { w0: Float64Array; hasBar: Uint8Array; X: Float64Array }) => void,
  first = false,
): PortfolioProblem {
  const rng = new Rng(7);
  const X = new Float64Array(N * K);
  X[0] = 1;
  for (let i = 1; i < N; i++) X[i * K + 1 + (i % 3)] = 1;
  const F = new Float64Array(K * K);
  for (let k = 0; k < K; k++) F[k * K + k] = 1e-4;
  const w0 = new Float64Array(N);
  const hasBar = new Uint8Array(N).fill(1);
  edit({ w0, hasBar, X });
  const risk: FactorRisk = {
    length: N,
    factors: K,
    industryFactors: G,
    factorNames: ['G0', 'G1', 'G2', 'G3', 'beta_252', 'size', 'momentum', 'vol_60'],
    exposures: X,
    factorCovariance: F,
    specificVariance: new Float64Array(N).fill(4e-4),
  };
  return {
    alphaBps: Float64Array.from({ length: N }, () => 50 * rng.normal()),
    hasAlpha: null,
    horizonDays: 21,
    currentWeights: w0,
    hasBar,
    benchmark: mode === 'long_only' ? new Float64Array(N).fill(1 / N) : null,
    risk,
    costs: { buy: 5e-4, sell: 5e-4 },
    firstRebalance: first,
  };
}

function industryExposure(p: PortfolioProblem, w: Float64Array, g: number): number {
  let y = 0;
  for (let i = 0; i < N; i++) y += p.risk.exposures[i * K + g] * w[i];
  return y;
}

describe('infeasible problems relax in SPEC order', () => {
  it('a turnover limit too tight to reach industry neutrality: relaxes turnover only', () => {
    const p = handProblem('long_short', ({ w0 }) => {
      for (let i = 1; i <= 9; i += 3) w0[i] = 0.01; // industry 2
      for (let i = 2; i <= 10; i += 3) w0[i] = -0.01; // industry 3
    });
    const result = optimizeWeights(p, { maxTurnover: 0.001 });
    expect(result.status).toBe('relaxed');
    expect(result.relaxations).toEqual(['turnover']);
    for (let g = 0; g < G; g++)
      expect(Math.abs(industryExposure(p, result.weights, g))).toBeLessThanOrEqual(1e-7);
    expect(result.turnover).toBeGreaterThan(0.001);
  });

  it('frozen names with a style exposure nobody can offset: relaxes turnover, then styles', () => {
    const p = handProblem('long_short', ({ w0, hasBar, X }) => {
      // Names 1 and 4 (industry 2) frozen at +/-0.01 with beta +3 / -3: style 0.06 > 0.05, industry-neutral.
      w0[1] = 0.01;
      w0[4] = -0.01;
      hasBar[1] = 0;
      hasBar[4] = 0;
      X[1 * K + G] = 3;
      X[4 * K + G] = -3;
    });
    const result = optimizeWeights(p, {});
    expect(result.status).toBe('relaxed');
    expect(result.relaxations).toEqual(['turnover', 'style']);
    expect(result.weights[1]).toBe(0.01);
    expect(result.weights[4]).toBe(-0.01);
  });

  it('a frozen lone name in its industry: relaxes down to |x_g w| <= industry_bound', () => {
    const p = handProblem('long_short', ({ w0, hasBar }) => {
      w0[0] = 0.02;
      hasBar[0] = 0;
    });
    const result = optimizeWeights(p, {});
    expect(result.relaxations).toEqual(['turnover', 'style', 'industry']);
    expect(result.status).toBe('relaxed');
    expect(industryExposure(p, result.weights, 0)).toBe(0.02);
    for (let g = 1; g < G; g++)
      expect(Math.abs(industryExposure(p, result.weights, g))).toBeLessThanOrEqual(0.03 + 1e-7);
  });

  it('on the first rebalance there is no turnover limit to relax', () => {
    const p = handProblem(
      'long_short',
      ({ w0, hasBar }) => {
        w0[0] = 0.02;
        hasBar[0] = 0;
      },
      true,
    );
    expect(optimizeWeights(p, {}).relaxations).toEqual(['style', 'industry']);
  });

  it('still infeasible after every relaxation: keeps w0 and says why', () => {
    const p = handProblem('long_short', ({ w0, hasBar }) => {
      w0[0] = 0.05; // beyond the relaxed industry bound 0.03
      hasBar[0] = 0;
      w0[1] = -0.01;
    });
    const result = optimizeWeights(p, {});
    expect(result.status).toBe('kept_current');
    expect(result.relaxations).toEqual(['turnover', 'style', 'industry']);
    expect(Array.from(result.weights)).toEqual(Array.from(p.currentWeights));
    expect(result.reason).toMatch(
      /^infeasible after relaxing turnover, style, industry \(long_short: gross 2/,
    );
    expect(result.solves).toBe(4);
  });

  it('long_only: frozen weights above 1 cannot sum to 1; no industry step to relax; keeps w0', () => {
    const p = handProblem('long_only', ({ w0, hasBar }) => {
      for (let i = 0; i < 6; i++) {
        w0[i] = 0.2;
        hasBar[i] = 0;
      }
    });
    const result = optimizeWeights(p, { mode: 'long_only' });
    expect(result.status).toBe('kept_current');
    expect(result.relaxations).toEqual(['turnover', 'style']);
    expect(result.reason).toContain('long_only');
  });

  it('a feasible problem is solved with every constraint', () => {
    const p = handProblem('long_only', () => undefined, true);
    const result = optimizeWeights(p, { mode: 'long_only' });
    expect(result.status).toBe('optimal');
    expect(result.relaxations).toEqual([]);
    expect(Math.abs(result.weights.reduce((s, v) => s + v, 0) - 1)).toBeLessThanOrEqual(1e-9);
  });
});
