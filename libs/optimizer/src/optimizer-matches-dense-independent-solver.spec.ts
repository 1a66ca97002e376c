/**
 * Acceptance (SPEC §11): on random problems with N <= 200 the factor-form
 * problem solved by Clarabel (interior point) agrees with the literal SPEC
 * formulation (w, buy, sell, p, q; explicit dense Sigma) solved by OSQP
 * (ADMM + polishing, an independent method and code base): objective to
 * 1e-6 relative or 1e-9 absolute, weights to 1e-5. (HiGHS's active-set QP,
 * the other candidate, stops with a solve error on most of these once the
 * turnover row is present; see the README.) Every returned solution passes its KKT conditions (primal 1e-7;
 * stationarity, dual signs and complementarity 1e-6) and the SPEC
 * constraints checked directly on the weights.
 */
import {
  buildQpForm,
  createClarabelSolver,
  createOsqpSolver,
  kktResiduals,
  optimizeWeights,
  resolveOptimizerOptions,
} from './index';
import type { OptimizerOptions, PortfolioMode, QpSolver } from './index';
import { denseObjective, denseSpecForm, specViolation } from './testing/dense-formulation';
import { randomProblem } from './testing/random-problem';

const cases: {
  mode: PortfolioMode;
  names: number;
  first: boolean;
  seed: number;
  options?: Partial<OptimizerOptions>;
}[] = [
  { mode: 'long_short', names: 60, first: true, seed: 1 },
  { mode: 'long_short', names: 120, first: false, seed: 2 },
  { mode: 'long_short', names: 200, first: false, seed: 9, options: { maxTurnover: 0.15 } },
  { mode: 'long_short', names: 150, first: false, seed: 4, options: { lambda: 5, gross: 1.2 } },
  // Costs only move weights when the turnover limit is slack (a binding limit fixes the total traded).
  { mode: 'long_short', names: 100, first: false, seed: 10, options: { maxTurnover: null } },
  { mode: 'long_only', names: 80, first: true, seed: 5 },
  { mode: 'long_only', names: 160, first: false, seed: 6 },
  { mode: 'long_only', names: 200, first: false, seed: 7, options: { maxTurnover: 0.03, styleBound: 0.02 } },
  { mode: 'long_only', names: 100, first: false, seed: 8, options: { lambda: 200, maxTurnover: null } },
];

describe('optimizer vs the dense SPEC formulation on an independent solver', () => {
  const reference: QpSolver = createOsqpSolver({ eps: 1e-10, maxIterations: 400000 });

  it.each(cases)('$mode N=$names first=$first seed=$seed', ({ mode, names, first, seed, options }) => {
    const o = resolveOptimizerOptions({ ...options, mode });
    const problem = randomProblem({ names, industries: 8, mode, seed, firstRebalance: first });
    const result = optimizeWeights(problem, o);
    expect(result.status).toBe('optimal');
    const set = { turnover: true, style: true, industryNeutral: true };

    // KKT of the returned solution, with the solver's duals, on the problem as solved.
    const form = buildQpForm(problem, o, set);
    const solution = createClarabelSolver().solve(form, o.tolerance);
    expect(Array.from(solution.x.subarray(0, names))).toEqual(
      Array.from(result.weights).map((w, i) => (problem.hasBar[i] === 0 ? solution.x[i] : w)),
    );
    const kkt = kktResiduals(form, solution.x, solution.rowDual, solution.colDual);
    expect(kkt.primal).toBeLessThanOrEqual(1e-7);
    expect(kkt.stationarity).toBeLessThanOrEqual(1e-6);
    expect(kkt.dualSign).toBeLessThanOrEqual(1e-6);
    expect(kkt.complementarity).toBeLessThanOrEqual(1e-6);
    expect(result.solver.relativeGap).toBeLessThanOrEqual(1e-6);

    // SPEC constraints directly on w.
    expect(specViolation(problem, o, result.weights, set)).toBeLessThanOrEqual(1e-7);
    const sum = result.weights.reduce((s, v) => s + v, 0);
    expect(Math.abs(sum - (mode === 'long_short' ? 0 : 1))).toBeLessThanOrEqual(1e-7);

    // The literal SPEC problem on OSQP (its own accuracy: ADMM at eps 1e-10; polishing rarely succeeds here).
    const dense = denseSpecForm(problem, o, set);
    const other = reference.solve(dense, 1e-9);
    expect(other.outcome).toBe('solved');
    const w = other.x.subarray(0, names);
    expect(specViolation(problem, o, w, set)).toBeLessThanOrEqual(1e-6);
    const ours = denseObjective(problem, o, result.weights);
    const theirs = denseObjective(problem, o, w);
    expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(Math.max(1e-6 * Math.abs(theirs), 1e-9));
    expect(Math.abs(result.objective - ours)).toBeLessThanOrEqual(1e-12);
    let worst = 0;
    for (let i = 0; i < names; i++) worst = Math.max(worst, Math.abs(result.weights[i] - w[i]));
    expect(worst).toBeLessThanOrEqual(1e-5);
    // Not a trivial book: it trades and holds many names.
    expect(result.weights.filter((v) => Math.abs(v) > 1e-6).length).toBeGreaterThan(names / 4);
  });
});
