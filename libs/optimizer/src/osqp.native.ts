/**
 * OSQP (ADMM, built into the native library only with `--features osqp`)
 * behind the `QpSolver` port, for the solver comparison bench. OSQP's form
 * `l <= A x <= u` takes the variable bounds as identity rows under A; its
 * duals y are already in the port's convention. Polishing (a KKT solve on
 * the guessed active set) is on: without it ADMM stops near 1e-4 accuracy.
 */
import { SolverUnavailableError } from './errors';
import { qpLibrary } from './clarabel.native';
import type { QpForm } from './qp-form';
import type { QpOutcome, QpSolution, QpSolver } from './qp-solver';

const OSQP_STATUS = [
  'Failed',
  'Solved',
  'PrimalInfeasible',
  'DualInfeasible',
  'SolvedInaccurate',
  '',
  '',
  'MaxIterations',
];

/** True when the native library was built with OSQP. */
export function osqpAvailable(): boolean {
  return qpLibrary().osqp !== null;
}

/**
 * `eps`: OSQP's eps_abs = eps_rel; by default the tolerance passed to
 * `solve`. A looser eps with polishing is OSQP's usual fast setting: the
 * polished solution is exact when the active set was guessed right.
 */
export function createOsqpSolver(
  options: { maxIterations?: number; polish?: boolean; eps?: number } = {},
): QpSolver {
  const native = qpLibrary().osqp;
  if (native === null) {
    throw new SolverUnavailableError(
      'OSQP is not in the native QP library; build it with: cargo build --release --features osqp (in libs/optimizer/native)',
    );
  }
  const maxIterations = options.maxIterations ?? 100000;
  const polish = options.polish ?? true;
  return {
    name: options.eps === undefined ? 'osqp' : `osqp-eps${options.eps}`,
    solve(form: QpForm, tolerance: number): QpSolution {
      const started = performance.now();
      const n = form.variables;
      const m0 = form.constraints;
      const A = form.A;
      const nnz = A.colStart[n];
      const colStart = new Int32Array(n + 1);
      const rowIndex = new Int32Array(nnz + n);
      const value = new Float64Array(nnz + n);
      let at = 0;
      for (let j = 0; j < n; j++) {
        colStart[j] = at;
        for (let k = A.colStart[j]; k < A.colStart[j + 1]; k++) {
          rowIndex[at] = A.rowIndex[k];
          value[at++] = A.value[k];
        }
        rowIndex[at] = m0 + j;
        value[at++] = 1;
      }
      colStart[n] = at;
      const l = new Float64Array(m0 + n);
      const u = new Float64Array(m0 + n);
      l.set(form.rowLower);
      l.set(form.varLower, m0);
      u.set(form.rowUpper);
      u.set(form.varUpper, m0);
      const x = new Float64Array(n);
      const y = new Float64Array(m0 + n);
      const info = new Float64Array(8);
      const code = native(
        n,
        m0 + n,
        form.P.colStart,
        form.P.rowIndex,
        form.P.value,
        form.c,
        colStart,
        rowIndex,
        value,
        l,
        u,
        options.eps ?? tolerance,
        maxIterations,
        polish ? 1 : 0,
        x,
        y,
        info,
      );
      const status = OSQP_STATUS[code] ?? `code ${code}`;
      const outcome: QpOutcome =
        status === 'Solved' ? 'solved' : status === 'PrimalInfeasible' ? 'infeasible' : 'failed';
      return {
        outcome,
        status: info[2] === 1 ? `${status} (polished)` : status,
        x,
        rowDual: y.slice(0, m0),
        colDual: y.slice(m0),
        iterations: info[0],
        objective: info[1],
        ms: performance.now() - started,
      };
    },
  };
}
