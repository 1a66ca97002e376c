/**
 * The incremental risk model, date by date, against SPEC §10 recomputed from
 * scratch on the whole history (testing/naive-risk-model.ts): exposures,
 * factor returns (a direct SVD least-squares fit per date), F and s^2
 * (brute-force EWMA sums), to the SPEC's 1e-9 relative tolerance. The panel
 * is longer than the 252-date window (so returns leave it) and has an empty
 * industry, carried rows, missing styles, non-member returns.
 */
import { agrees } from '@alphafeed/testing';
import { RiskModel } from './index';
import { naiveRiskModel, randomRiskPanel } from './testing/naive-risk-model';

const INDUSTRIES = 6;
const K = INDUSTRIES + 4;
const names = Array.from({ length: INDUSTRIES }, (_, g) => `G${g}`);

function expectClose(actual: number, expected: number, what: string): void {
  if (!agrees(actual, expected)) throw new Error(`${what}: ${actual} vs naive ${expected}`);
}

describe('risk model vs a from-scratch recompute', () => {
  const inputs = randomRiskPanel({
    instruments: 45,
    dates: 300,
    industries: INDUSTRIES,
    seed: 42,
    emptyIndustries: [4],
  });
  const naive = naiveRiskModel(inputs, { industries: INDUSTRIES });

  it('agrees on X, f, F and s^2 at every date (1e-9 relative)', () => {
    const model = new RiskModel({ industries: names });
    let checkedSpecific = 0;
    for (let t = 0; t < inputs.length; t++) {
      const state = model.closeDate(t, inputs[t]);
      const date = naive.dates[t];
      expect(Array.from(state.instrument)).toEqual(date.instrument);
      for (let r = 0; r < state.length; r++) {
        for (let k = 0; k < K; k++)
          expectClose(state.exposures[r * K + k], date.X[r][k], `X[${t}][${r}][${k}]`);
      }
      if (t === 0) expect(state.factorReturn).toBeNull();
      else {
        const f = naive.f[t] as number[];
        for (let k = 0; k < K; k++) expectClose(state.factorReturn![k], f[k], `f[${t}][${k}]`);
        expect(state.factorReturn![4]).toBe(0); // the empty industry
      }
      const F = naive.covariance(t);
      for (let a = 0; a < K; a++)
        for (let b = 0; b < K; b++)
          expectClose(state.factorCovariance[a * K + b], F[a][b], `F[${t}][${a}][${b}]`);
      const { s2, count } = naive.specific(t);
      expect(Array.from(state.residualCount)).toEqual(count);
      for (let r = 0; r < state.length; r++) {
        expectClose(state.specificVariance[r], s2[r], `s2[${t}][${r}]`);
        if (!Number.isNaN(s2[r])) checkedSpecific++;
      }
    }
    // Not a vacuous pass: s^2 exists from date ~64 on, for every row.
    expect(checkedSpecific).toBeGreaterThan(200 * 35);
  });

  it('factor returns are the least-squares fit: residuals are orthogonal to X_{d-1}', () => {
    // Independent of the naive twin: X_{d-1}' e = 0 on the regression rows.
    for (let d = 1; d < inputs.length; d += 37) {
      const prev = naive.dates[d - 1];
      const residual = naive.residuals[d];
      const model = new RiskModel({ industries: names });
      for (let t = 0; t <= d; t++) model.closeDate(t, inputs[t]);
      const f = model.state().factorReturn!;
      const input = inputs[d];
      const normal = new Array<number>(K).fill(0);
      let rows = 0;
      for (let e = 0; e < input.length; e++) {
        const row = prev.instrument.indexOf(input.instrument[e]);
        if (Number.isNaN(input.dailyReturn[e]) || row < 0 || !prev.universe[row]) continue;
        const x = prev.X[row];
        const fitted = x.reduce((s, v, k) => s + v * f[k], 0);
        expectClose(input.dailyReturn[e] - fitted, residual.get(input.instrument[e])!, `e[${d}]`);
        for (let k = 0; k < K; k++) normal[k] += x[k] * (input.dailyReturn[e] - fitted);
        rows++;
      }
      expect(rows).toBeGreaterThan(20);
      for (let k = 0; k < K; k++) expect(Math.abs(normal[k])).toBeLessThan(1e-12);
    }
  });

  it('streaming equals batch: two models fed the same dates are identical, whatever happens between', () => {
    const batch = new RiskModel({ industries: names });
    for (let t = 0; t < inputs.length; t++) batch.closeDate(t, inputs[t]);
    const stream = new RiskModel({ industries: names });
    for (let t = 0; t < inputs.length; t++) {
      stream.closeDate(t, inputs[t]);
      // A live consumer asks for the optimizer's view between dates; that must not disturb the state.
      stream.factorRisk(Int32Array.of(0, 1, 2, 44));
    }
    const a = batch.state();
    const b = stream.state();
    expect(Array.from(b.exposures)).toEqual(Array.from(a.exposures));
    expect(Array.from(b.factorCovariance)).toEqual(Array.from(a.factorCovariance));
    expect(Array.from(b.specificVariance)).toEqual(Array.from(a.specificVariance));
  });
});
