/**
 * The risk model's degenerate-input policy: missing or constant styles give
 * exposure 0 (never NaN), an empty regression gives f = 0, nothing is known
 * before the first factor return (F = 0, s^2 = NaN); malformed input throws
 * an InputError naming the value; dates out of order a RiskModelStateError.
 * A held name without a row gets its last industry and styles 0.
 */
import { InputError } from '@alphafeed/core';
import { RiskModel, RiskModelStateError, exAnteVariance } from './index';
import type { RiskDateInput } from './index';

function input(n: number, over: Partial<RiskDateInput> = {}): RiskDateInput {
  return {
    length: n,
    instrument: Int32Array.from({ length: n }, (_, i) => i),
    industry: Int32Array.from({ length: n }, (_, i) => i % 2),
    member: null,
    carried: null,
    beta252: Float64Array.from({ length: n }, (_, i) => i),
    size: new Float64Array(n).fill(7),
    momentum: new Float64Array(n).fill(NaN),
    vol60: Float64Array.from({ length: n }, (_, i) => (i * 7) % 5),
    dailyReturn: Float64Array.from({ length: n }, (_, i) => 0.001 * (i % 3)),
    ...over,
  };
}

const industries = ['A', 'B', 'C'];

describe('risk model degenerate input', () => {
  it('constant and missing styles are 0; an empty industry and an empty regression give f = 0', () => {
    const model = new RiskModel({ industries });
    const s0 = model.closeDate(0, input(10));
    for (let r = 0; r < 10; r++) {
      expect(s0.exposures[r * 7 + 4]).toBe(0); // size constant
      expect(s0.exposures[r * 7 + 5]).toBe(0); // momentum missing
    }
    const s1 = model.closeDate(1, input(10));
    expect(s1.factorReturn![2]).toBe(0); // industry C has no member
    expect(s1.factorReturn![4]).toBe(0);
    expect(s1.factorReturn![5]).toBe(0);
    const s2 = model.closeDate(2, input(10, { dailyReturn: new Float64Array(10).fill(NaN) }));
    expect(s2.regressionRows).toBe(0);
    expect(Array.from(s2.factorReturn!)).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });

  it('an empty date is a date: nothing to expose, regressions go on', () => {
    const model = new RiskModel({ industries });
    model.closeDate(0, input(6));
    const empty = model.closeDate(1, input(0));
    expect(empty.length).toBe(0);
    expect(empty.regressionRows).toBe(0);
    expect(model.closeDate(2, input(6)).regressionRows).toBe(0); // nothing on date 1 to regress on
    expect(model.closeDate(3, input(6)).regressionRows).toBe(6);
  });

  it('malformed input names the offending value', () => {
    const model = new RiskModel({ industries });
    expect(() => model.closeDate(0, input(4, { instrument: Int32Array.of(0, 1, 1, 2) }))).toThrow(
      /instrument 1 appears twice/,
    );
    expect(() => model.closeDate(0, input(4, { industry: Int32Array.of(0, 1, 3, 0) }))).toThrow(
      /industry 3 of instrument 2 is outside \[0, 3\)/,
    );
    expect(() => model.closeDate(0, input(4, { size: Float64Array.of(1, Infinity, 1, 1) }))).toThrow(
      InputError,
    );
    expect(() => model.closeDate(0, input(4, { carried: Uint8Array.of(0, 0, 1, 0) }))).toThrow(
      /carried instrument 2 has a return/,
    );
    expect(() =>
      model.closeDate(
        0,
        input(4, {
          member: Uint8Array.of(1, 1, 0, 1),
          carried: Uint8Array.of(0, 0, 1, 0),
          dailyReturn: Float64Array.of(0, 0, NaN, 0),
        }),
      ),
    ).toThrow(/instrument 2 is carried but not a member/);
    expect(() => model.closeDate(0, input(4, { vol60: new Float64Array(3) }))).toThrow(
      /column vol60 has 3 values for length 4/,
    );
    // A rejected date leaves no trace: the same date is accepted next.
    expect(model.closeDate(0, input(4)).length).toBe(4);
  });

  it('dates out of order and questions before any date are state errors', () => {
    const model = new RiskModel({ industries });
    expect(() => model.state()).toThrow(RiskModelStateError);
    expect(() => model.factorRisk(Int32Array.of(0))).toThrow(RiskModelStateError);
    model.closeDate(5, input(4));
    expect(() => model.closeDate(7, input(4))).toThrow(/got 7 after 5/);
    expect(() => new RiskModel({ industries: [] })).toThrow(RangeError);
  });

  it('factorRisk: a held name without a row keeps its last industry, styles 0; a new name has no industry', () => {
    const model = new RiskModel({ industries, minResiduals: 2, specificFloorQuantile: 0 });
    for (let t = 0; t < 4; t++)
      model.closeDate(
        t,
        input(8, { dailyReturn: Float64Array.from({ length: 8 }, (_, i) => 0.01 * Math.sin(t * 3 + i)) }),
      );
    // Instrument 7 (industry B) leaves the universe; 50 was never seen.
    const rows = input(7, { dailyReturn: Float64Array.from({ length: 7 }, (_, i) => 0.01 * Math.cos(i)) });
    model.closeDate(4, rows);
    const risk = model.factorRisk(Int32Array.of(0, 7, 50));
    expect(Array.from(risk.exposures.subarray(7, 14))).toEqual([0, 1, 0, 0, 0, 0, 0]);
    expect(Array.from(risk.exposures.subarray(14, 21))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(risk.specificVariance[1]).toBeGreaterThan(0); // its own residuals (4 >= 2)
    expect(Number.isFinite(risk.specificVariance[2])).toBe(true); // the universe median
    const state = model.state();
    expect(Array.from(risk.exposures.subarray(0, 7))).toEqual(Array.from(state.exposures.subarray(0, 7)));
    // Ex-ante variance in factor form equals the dense quadratic form.
    const a = Float64Array.of(0.01, -0.02, 0.005);
    const K = 7;
    let dense = 0;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let sigma = i === j ? risk.specificVariance[i] : 0;
        for (let p = 0; p < K; p++)
          for (let q = 0; q < K; q++)
            sigma += risk.exposures[i * K + p] * risk.factorCovariance[p * K + q] * risk.exposures[j * K + q];
        dense += a[i] * sigma * a[j];
      }
    }
    expect(exAnteVariance(risk, a)).toBeCloseTo(dense, 18);
    expect(() => exAnteVariance(risk, new Float64Array(2))).toThrow(
      /2 active weights for a risk model of 3 names/,
    );
  });
});
