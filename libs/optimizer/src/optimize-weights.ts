/**
 * One rebalance date (SPEC §11): validate, build the factor-form QP, solve,
 * and relax in the SPEC's order when infeasible (turnover, then styles, then
 * industry neutrality); still infeasible (or a solver failure) keeps w0 with
 * the reason. Relaxations and the reason are returned for the caller to log
 * and count (this lib has no logger).
 */
import { InputError } from '@alphafeed/core';
import { exAnteVariance } from '@alphafeed/risk';
import { createClarabelSolver } from './clarabel.native';
import { resolveOptimizerOptions } from './optimizer.options';
import type {
  OptimizeResult,
  OptimizerOptions,
  PortfolioProblem,
  Relaxation,
  SolverReport,
} from './optimizer.types';
import { buildQpForm } from './qp-form';
import type { ConstraintSet, QpForm } from './qp-form';
import { kktResiduals } from './qp-solver';
import type { QpSolution, QpSolver } from './qp-solver';

export interface OptimizeContext {
  /** The QP solver (default: Clarabel through the native library, loaded once). */
  readonly solver?: QpSolver;
}

let defaultSolver: QpSolver | null = null;

/**
 * Solves one date's problem. Throws `InputError` on bad input (a NaN alpha
 * where `hasAlpha` says there is one, mismatched lengths, non-finite
 * weights or risk), `RangeError` on bad options; never on infeasibility.
 */
export function optimizeWeights(
  problem: PortfolioProblem,
  options: Partial<OptimizerOptions> = {},
  context: OptimizeContext = {},
): OptimizeResult {
  const resolved = resolveOptimizerOptions(options);
  validateProblem(problem, resolved);
  const solver = context.solver ?? (defaultSolver ??= createClarabelSolver());
  const turnoverApplies = !problem.firstRebalance && resolved.maxTurnover !== null;
  const hasStyles = problem.risk.factors > problem.risk.industryFactors;
  const steps: { relaxation: Relaxation; set: ConstraintSet }[] = [];
  let set: ConstraintSet = { turnover: true, style: true, industryNeutral: true };
  if (turnoverApplies) steps.push({ relaxation: 'turnover', set: (set = { ...set, turnover: false }) });
  if (hasStyles) steps.push({ relaxation: 'style', set: (set = { ...set, style: false }) });
  if (resolved.mode === 'long_short')
    steps.push({ relaxation: 'industry', set: (set = { ...set, industryNeutral: false }) });

  const relaxations: Relaxation[] = [];
  let current: ConstraintSet = { turnover: true, style: true, industryNeutral: true };
  let solveMs = 0;
  let solves = 0;
  for (let step = 0; ; step++) {
    const form = buildQpForm(problem, resolved, current);
    const solution = solver.solve(form, resolved.tolerance);
    solveMs += solution.ms;
    solves++;
    const report = solverReport(solver.name, form, solution);
    // Clarabel's reduced-accuracy stop is accepted when the point, measured here, meets the SPEC's accuracy.
    const accurate =
      solution.status === 'AlmostSolved' &&
      report.primalResidual <= 1e-7 &&
      report.dualResidual <= 1e-6 &&
      report.relativeGap <= 1e-6;
    if (solution.outcome === 'solved' || accurate) {
      const weights = solution.x.slice(form.layout.w, form.layout.w + form.layout.names);
      for (let i = 0; i < weights.length; i++)
        if (problem.hasBar[i] === 0) weights[i] = problem.currentWeights[i];
      return finish(
        problem,
        resolved,
        weights,
        relaxations.length === 0 ? 'optimal' : 'relaxed',
        relaxations,
        null,
        solveMs,
        solves,
        report,
      );
    }
    if (solution.outcome === 'failed') {
      const reason = `the ${solver.name} solver stopped with status ${solution.status} after ${solution.iterations} iterations; kept the current weights`;
      return finish(
        problem,
        resolved,
        Float64Array.from(problem.currentWeights),
        'kept_current',
        relaxations,
        reason,
        solveMs,
        solves,
        report,
      );
    }
    if (step >= steps.length) {
      const tried =
        relaxations.length === 0 ? 'no constraint to relax' : `after relaxing ${relaxations.join(', ')}`;
      const reason = `infeasible ${tried} (${describeBounds(resolved)}); kept the current weights`;
      return finish(
        problem,
        resolved,
        Float64Array.from(problem.currentWeights),
        'kept_current',
        relaxations,
        reason,
        solveMs,
        solves,
        report,
      );
    }
    relaxations.push(steps[step].relaxation);
    current = steps[step].set;
  }
}

function describeBounds(o: OptimizerOptions): string {
  return o.mode === 'long_short'
    ? `long_short: gross ${o.gross}, maxWeight ${o.maxWeight}, styleBound ${o.styleBound}, industryBound ${o.industryBound}, maxTurnover ${o.maxTurnover}`
    : `long_only: activeMax ${o.activeMax}, industryBound ${o.industryBound}, styleBound ${o.styleBound}, maxTurnover ${o.maxTurnover}`;
}

function solverReport(name: string, form: QpForm, solution: QpSolution): SolverReport {
  const kkt = kktResiduals(form, solution.x, solution.rowDual, solution.colDual);
  const objective = kkt.objective + form.objectiveConstant;
  return {
    name,
    status: solution.status,
    iterations: solution.iterations,
    primalResidual: kkt.primal,
    dualResidual: kkt.stationarity,
    relativeGap: kkt.gap / Math.max(Math.abs(objective), 1e-12),
  };
}

/** SPEC objective, turnover and the result record; the objective is recomputed from the weights in SPEC terms. */
function finish(
  problem: PortfolioProblem,
  options: OptimizerOptions,
  weights: Float64Array,
  status: OptimizeResult['status'],
  relaxations: Relaxation[],
  reason: string | null,
  solveMs: number,
  solves: number,
  solver: SolverReport,
): OptimizeResult {
  return {
    weights,
    status,
    relaxations,
    reason,
    objective: specObjective(problem, options, weights),
    turnover: oneSidedTurnover(problem.currentWeights, weights),
    solveMs,
    solves,
    solver,
  };
}

/**
 * `a'w - (lambda/2) H (w - b)'Sigma(w - b) - sum(cb buy + cs sell)` with
 * buy/sell the positive/negative parts of w - w0, Sigma in factor form.
 */
export function specObjective(
  problem: PortfolioProblem,
  options: Partial<OptimizerOptions>,
  weights: Float64Array,
): number {
  const o = resolveOptimizerOptions(options);
  const N = weights.length;
  const b = o.mode === 'long_only' ? problem.benchmark : null;
  const active = new Float64Array(N);
  let expected = 0;
  let costs = 0;
  for (let i = 0; i < N; i++) {
    active[i] = weights[i] - (b === null ? 0 : b[i]);
    if (problem.hasAlpha === null || problem.hasAlpha[i] === 1)
      expected += problem.alphaBps[i] * 1e-4 * weights[i];
    const d = weights[i] - problem.currentWeights[i];
    costs += d > 0 ? problem.costs.buy * d : -problem.costs.sell * d;
  }
  return expected - 0.5 * o.lambda * problem.horizonDays * exAnteVariance(problem.risk, active) - costs;
}

function oneSidedTurnover(w0: Float64Array, w: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < w.length; i++) sum += Math.abs(w[i] - w0[i]);
  return sum / 2;
}

/** Checks every array once at the boundary; the kernels then assume finite values. */
export function validateProblem(problem: PortfolioProblem, options: OptimizerOptions): void {
  const risk = problem.risk;
  const N = risk.length;
  const K = risk.factors;
  const where = (what: string): string => `optimizer input: ${what}`;
  if (!Number.isInteger(N) || N < 1)
    throw new InputError(where(`risk.length must be an integer >= 1, got ${N}`));
  if (!Number.isInteger(K) || K < 1 || !(risk.industryFactors >= 0 && risk.industryFactors <= K)) {
    throw new InputError(
      where(
        `risk has ${K} factors and ${risk.industryFactors} industry factors; need 0 <= industryFactors <= factors, factors >= 1`,
      ),
    );
  }
  const sized = (name: string, array: ArrayLike<number> | null, length: number): void => {
    if (array === null || array === undefined || array.length !== length) {
      throw new InputError(
        where(
          `${name} has ${array?.length ?? 'no'} values, expected ${length} (N = ${N}, K = ${K}); pass one value per name`,
        ),
      );
    }
  };
  sized('alphaBps', problem.alphaBps, N);
  if (problem.hasAlpha !== null) sized('hasAlpha', problem.hasAlpha, N);
  sized('currentWeights', problem.currentWeights, N);
  sized('hasBar', problem.hasBar, N);
  sized('risk.exposures', risk.exposures, N * K);
  sized('risk.specificVariance', risk.specificVariance, N);
  sized('risk.factorCovariance', risk.factorCovariance, K * K);
  if (options.mode === 'long_only') {
    if (problem.benchmark === null)
      throw new InputError(
        where('long_only needs benchmark weights (b = equal weights over the members on t); got null'),
      );
    sized('benchmark', problem.benchmark, N);
  }
  for (let i = 0; i < N; i++) {
    const hasAlpha = problem.hasAlpha === null || problem.hasAlpha[i] === 1;
    if (hasAlpha && !Number.isFinite(problem.alphaBps[i])) {
      throw new InputError(
        where(
          `alphaBps[${i}] is ${problem.alphaBps[i]}; every alpha must be finite (mark a name without an alpha with hasAlpha = 0)`,
        ),
      );
    }
    if (!Number.isFinite(problem.currentWeights[i]))
      throw new InputError(
        where(`currentWeights[${i}] is ${problem.currentWeights[i]}; weights must be finite`),
      );
    const s2 = risk.specificVariance[i];
    if (!(s2 >= 0 && Number.isFinite(s2))) {
      throw new InputError(
        where(
          `specificVariance[${i}] is ${s2}; the risk model is not ready (s^2 needs 63 residuals somewhere in the universe) or the input is broken`,
        ),
      );
    }
    if (
      problem.benchmark !== null &&
      options.mode === 'long_only' &&
      !(problem.benchmark[i] >= 0 && Number.isFinite(problem.benchmark[i]))
    ) {
      throw new InputError(
        where(`benchmark[${i}] is ${problem.benchmark[i]}; benchmark weights are finite and >= 0`),
      );
    }
  }
  for (let j = 0; j < N * K; j++) {
    if (!Number.isFinite(risk.exposures[j]))
      throw new InputError(
        where(`exposures[${Math.floor(j / K)}][${j % K}] is ${risk.exposures[j]}; exposures must be finite`),
      );
  }
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < K; b++) {
      const v = risk.factorCovariance[a * K + b];
      const mirror = risk.factorCovariance[b * K + a];
      // The QP reads the upper triangle; a mirror that differs beyond rounding is a broken input.
      if (
        !Number.isFinite(v) ||
        Math.abs(v - mirror) > 1e-9 * Math.max(Math.abs(v), Math.abs(mirror)) + 1e-300
      ) {
        throw new InputError(
          where(
            `factorCovariance[${a}][${b}] is ${v} but [${b}][${a}] is ${mirror}; F must be finite and symmetric`,
          ),
        );
      }
    }
  }
  if (!(problem.horizonDays > 0 && Number.isFinite(problem.horizonDays))) {
    throw new InputError(
      where(
        `horizonDays is ${problem.horizonDays}; it must be a positive number of days (SPEC §9 horizon_days, default 21)`,
      ),
    );
  }
  const { buy, sell } = problem.costs;
  if (!(buy >= 0 && sell >= 0 && Number.isFinite(buy) && Number.isFinite(sell))) {
    throw new InputError(
      where(`costs are buy ${buy}, sell ${sell}; cost rates are finite fractions >= 0 (5 bps = 5e-4)`),
    );
  }
}
