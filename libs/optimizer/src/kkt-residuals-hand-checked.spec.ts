/**
 * The KKT check the acceptance specs rely on, on a QP solved by hand:
 * min ½(x0² + x1²) - x0 - 2 x1  s.t.  x0 + x1 <= 1, 0 <= x <= 10.
 * Optimum x = (0, 1) with the row at its upper bound (multiplier 1) and no
 * active variable bound; each broken condition is then seen on its own.
 */
import { kktResiduals } from './index';
import type { QpForm } from './index';

const form: QpForm = {
  variables: 2,
  constraints: 1,
  P: {
    rows: 2,
    cols: 2,
    colStart: Int32Array.of(0, 1, 2),
    rowIndex: Int32Array.of(0, 1),
    value: Float64Array.of(1, 1),
  },
  c: Float64Array.of(-1, -2),
  A: {
    rows: 1,
    cols: 2,
    colStart: Int32Array.of(0, 1, 2),
    rowIndex: Int32Array.of(0, 0),
    value: Float64Array.of(1, 1),
  },
  rowLower: Float64Array.of(-Infinity),
  rowUpper: Float64Array.of(1),
  varLower: Float64Array.of(0, 0),
  varUpper: Float64Array.of(10, 10),
  objectiveConstant: 0,
  layout: {
    names: 2,
    factors: 0,
    industryFactors: 0,
    w: 0,
    t: -1,
    g: -1,
    y: -1,
    tradeRows: -1,
    grossRows: -1,
    sumRow: -1,
    grossRow: -1,
    turnoverRow: -1,
  },
};

describe('kktResiduals', () => {
  // Stationarity: x0: 0 - 1 + y + k0 = 0, x1: 1 - 2 + y + k1 = 0. With y = 1 (row at its upper bound):
  // k1 = 0 (x1 inside its bounds), k0 = 0. So x = (0, 1), y = 1, all bound multipliers 0.
  it('is zero at the hand-computed optimum', () => {
    const kkt = kktResiduals(form, Float64Array.of(0, 1), Float64Array.of(1), Float64Array.of(0, 0));
    expect(kkt).toEqual({
      primal: 0,
      stationarity: 0,
      dualSign: 0,
      complementarity: 0,
      gap: 0,
      objective: -1.5,
    });
  });

  it('sees each violated condition', () => {
    expect(
      kktResiduals(form, Float64Array.of(0.5, 1), Float64Array.of(1), Float64Array.of(0, 0)).primal,
    ).toBeCloseTo(0.5, 15);
    expect(
      kktResiduals(form, Float64Array.of(0, 1), Float64Array.of(0.5), Float64Array.of(0, 0)).stationarity,
    ).toBeCloseTo(0.5, 15);
    // A multiplier pushing on a side that has no bound.
    expect(
      kktResiduals(form, Float64Array.of(0, 1), Float64Array.of(-0.25), Float64Array.of(0, 0)).dualSign,
    ).toBeCloseTo(0.25, 15);
    // A multiplier on a bound that is not active.
    expect(
      kktResiduals(form, Float64Array.of(0, 0.5), Float64Array.of(1.5), Float64Array.of(0, 0))
        .complementarity,
    ).toBeCloseTo(0.75, 15);
  });
});
