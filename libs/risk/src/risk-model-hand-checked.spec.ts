/**
 * A case small enough to do by hand: two industries of two names, beta the
 * only style present (the others missing: zero columns, factor return 0).
 * beta = 1, 2, 3, 4 winsorises to 1.03, 2, 3, 3.97 (numpy's 1st/99th
 * percentiles of four values) and standardises with mean 2.5. The next day's
 * returns 1%, 3% | -1%, 2% give, within industries, beta deviations +/-h and
 * return deviations +/-1% and +/-1.5%, so f_beta = (2 h 0.01 + 2 h 0.015) /
 * (4 h^2) = 0.0125 / h, f_A and f_B the industry means net of beta, and
 * residuals of +/-0.25%.
 */
import { RiskModel } from './index';
import type { RiskDateInput } from './index';

const nan4 = (): Float64Array => Float64Array.of(NaN, NaN, NaN, NaN);

function day(beta: Float64Array, returns: Float64Array): RiskDateInput {
  return {
    length: 4,
    instrument: Int32Array.of(0, 1, 2, 3),
    industry: Int32Array.of(0, 0, 1, 1),
    member: null,
    carried: null,
    beta252: beta,
    size: nan4(),
    momentum: nan4(),
    vol60: nan4(),
    dailyReturn: returns,
  };
}

it('exposures, factor returns, residuals and F of a 4-name case agree with the hand computation', () => {
  const model = new RiskModel({ industries: ['A', 'B'] });
  const first = model.closeDate(0, day(Float64Array.of(1, 2, 3, 4), nan4()));
  const clipped = [1.03, 2, 3, 3.97];
  const std = Math.sqrt(clipped.reduce((s, v) => s + (v - 2.5) ** 2, 0) / 4);
  const z = clipped.map((v) => (v - 2.5) / std);
  const K = 6;
  for (let r = 0; r < 4; r++) {
    expect(first.exposures[r * K + (r < 2 ? 0 : 1)]).toBe(1);
    expect(first.exposures[r * K + 2]).toBeCloseTo(z[r], 14);
    expect([3, 4, 5].map((k) => first.exposures[r * K + k])).toEqual([0, 0, 0]);
  }
  expect(first.factorReturn).toBeNull();
  expect(Array.from(first.factorCovariance).every((v) => v === 0)).toBe(true);
  expect(Array.from(first.specificVariance).every((v) => Number.isNaN(v))).toBe(true);

  const second = model.closeDate(
    1,
    day(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.01, 0.03, -0.01, 0.02)),
  );
  const h = (z[1] - z[0]) / 2;
  const fBeta = 0.0125 / h;
  const fA = 0.02 - fBeta * ((z[0] + z[1]) / 2);
  const fB = 0.005 - fBeta * ((z[2] + z[3]) / 2);
  const f = second.factorReturn!;
  expect(second.regressionRows).toBe(4);
  expect(f[0]).toBeCloseTo(fA, 14);
  expect(f[1]).toBeCloseTo(fB, 14);
  expect(f[2]).toBeCloseTo(fBeta, 14);
  expect([f[3], f[4], f[5]]).toEqual([0, 0, 0]);
  // One factor return in the window: F = f f'.
  for (let a = 0; a < K; a++)
    for (let b = 0; b < K; b++) expect(second.factorCovariance[a * K + b]).toBeCloseTo(f[a] * f[b], 16);
  // Residuals +/-0.0025: with one residual each (< 63) no own estimate exists yet, so s^2 is NaN.
  expect(Array.from(second.residualCount)).toEqual([1, 1, 1, 1]);
  const small = new RiskModel({ industries: ['A', 'B'], minResiduals: 1, specificFloorQuantile: 0 });
  small.closeDate(0, day(Float64Array.of(1, 2, 3, 4), nan4()));
  const s = small.closeDate(1, day(Float64Array.of(1, 2, 3, 4), Float64Array.of(0.01, 0.03, -0.01, 0.02)));
  for (let r = 0; r < 4; r++) expect(s.specificVariance[r]).toBeCloseTo(0.0025 ** 2, 18);
});
