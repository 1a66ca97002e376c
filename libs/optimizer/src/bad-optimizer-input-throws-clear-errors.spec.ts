/**
 * Bad input is refused at the boundary with one line that names the value
 * (InputError for data, RangeError for options); infeasibility is not an error.
 */
import { InputError } from '@alphafeed/core';
import { optimizeWeights } from './index';
import type { PortfolioProblem } from './index';
import { randomProblem } from './testing/random-problem';

const base = (): PortfolioProblem =>
  randomProblem({ names: 30, industries: 4, mode: 'long_short', seed: 3, firstRebalance: true });

describe('bad optimizer input', () => {
  it('a NaN alpha on a name marked as having one', () => {
    const p = base();
    const alphaBps = Float64Array.from(p.alphaBps);
    alphaBps[3] = NaN;
    const hasAlpha = new Uint8Array(30).fill(1);
    expect(() => optimizeWeights({ ...p, alphaBps, hasAlpha })).toThrow(InputError);
    expect(() => optimizeWeights({ ...p, alphaBps, hasAlpha })).toThrow(
      /alphaBps\[3\] is NaN; every alpha must be finite \(mark a name without an alpha with hasAlpha = 0\)/,
    );
    // The same NaN on a name without an alpha is ignored.
    hasAlpha[3] = 0;
    expect(optimizeWeights({ ...p, alphaBps, hasAlpha }).status).toBe('optimal');
  });

  it('mismatched lengths', () => {
    const p = base();
    expect(() => optimizeWeights({ ...p, currentWeights: new Float64Array(29) })).toThrow(
      /currentWeights has 29 values, expected 30/,
    );
    expect(() => optimizeWeights({ ...p, hasBar: new Uint8Array(31) })).toThrow(
      /hasBar has 31 values, expected 30/,
    );
    expect(() => optimizeWeights({ ...p, risk: { ...p.risk, exposures: new Float64Array(10) } })).toThrow(
      /risk.exposures has 10 values, expected 240/,
    );
  });

  it('long_only without a benchmark, a NaN weight, a risk model that is not ready, bad costs and horizon', () => {
    const p = base();
    expect(() => optimizeWeights(p, { mode: 'long_only' })).toThrow(/long_only needs benchmark weights/);
    const w0 = new Float64Array(30);
    w0[5] = NaN;
    expect(() => optimizeWeights({ ...p, currentWeights: w0 })).toThrow(/currentWeights\[5\] is NaN/);
    const s2 = Float64Array.from(p.risk.specificVariance);
    s2[0] = NaN;
    expect(() => optimizeWeights({ ...p, risk: { ...p.risk, specificVariance: s2 } })).toThrow(
      /specificVariance\[0\] is NaN; the risk model is not ready/,
    );
    expect(() => optimizeWeights({ ...p, costs: { buy: -1, sell: 0 } })).toThrow(/costs are buy -1/);
    expect(() => optimizeWeights({ ...p, horizonDays: 0 })).toThrow(/horizonDays is 0/);
  });

  it('out-of-range options are RangeErrors', () => {
    const p = base();
    expect(() => optimizeWeights(p, { gross: -1 })).toThrow(RangeError);
    expect(() => optimizeWeights(p, { tolerance: 1e-3 })).toThrow(/tolerance must be in \(0, 1e-6\]/);
    expect(() => optimizeWeights(p, { mode: 'short_only' as never })).toThrow(
      /mode must be "long_short" or "long_only"/,
    );
  });
});
