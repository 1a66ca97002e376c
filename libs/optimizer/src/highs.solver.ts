/**
 * HiGHS (npm `highs`, the C++ solver compiled to WebAssembly) behind the
 * `QpSolver` port: the QpForm goes in as CSC arrays through the persistent
 * model API (no LP text to print and parse), P as its lower triangle.
 * `method` picks HiGHS's QP algorithm: `qpasm` (the primal active-set
 * method; `hipo` and `ipm` are not available for QPs in this build). Used by
 * the solver comparison bench only, so `highs` is a dev dependency loaded on
 * first use.
 */
import type loadHighs from 'highs';
import type { QpForm } from './qp-form';
import { cscTranspose } from './qp-solver';
import type { QpOutcome, QpSolution, QpSolver } from './qp-solver';

export type HighsQpMethod = 'qpasm' | 'hipo' | 'ipm';

type HighsModule = Awaited<ReturnType<typeof loadHighs>>;
let loading: Promise<HighsModule> | null = null;

/** Loads the WebAssembly module once per process (~50 ms). */
export async function createHighsSolver(method: HighsQpMethod = 'qpasm'): Promise<QpSolver> {
  loading ??= import('highs').then((module) => module.default());
  const highs = await loading;
  return new HighsQpSolver(highs, method);
}

class HighsQpSolver implements QpSolver {
  readonly name: string;

  constructor(
    private readonly highs: HighsModule,
    private readonly method: HighsQpMethod,
  ) {
    this.name = `highs-${method}`;
  }

  solve(form: QpForm, tolerance: number): QpSolution {
    const started = performance.now();
    const highs = this.highs;
    const inf = highs.infinity;
    const clamp = (v: Float64Array): Float64Array =>
      v.map((x) => (x === Infinity ? inf : x === -Infinity ? -inf : x));
    // Upper triangle in CSC = lower triangle in CSR; its transpose is the lower triangle in CSC.
    const lower = cscTranspose(form.P);
    const model = highs.createModel({
      numCols: form.variables,
      numRows: form.constraints,
      colCost: form.c,
      colLower: clamp(form.varLower),
      colUpper: clamp(form.varUpper),
      rowLower: clamp(form.rowLower),
      rowUpper: clamp(form.rowUpper),
      matrix: {
        format: 'csc',
        numRows: form.constraints,
        numCols: form.variables,
        starts: form.A.colStart,
        indices: form.A.rowIndex,
        values: form.A.value,
      },
      hessian: {
        format: 'triangular',
        dimension: form.variables,
        starts: lower.colStart,
        indices: lower.rowIndex,
        values: lower.value,
      },
    });
    try {
      model.options.set({
        output_flag: false,
        solver: this.method,
        primal_feasibility_tolerance: tolerance,
        dual_feasibility_tolerance: tolerance,
      });
      let runError = '';
      try {
        model.run();
      } catch (err) {
        // HiGHS returns kError for e.g. an exhausted QP iteration or null-space limit; the model status says which.
        runError = ` (run: ${(err as Error).message})`;
      }
      const status = statusName(highs, model.getModelStatus()) + runError;
      const solution = model.getSolution();
      const outcome: QpOutcome =
        runError === '' && status === 'Optimal'
          ? 'solved'
          : runError === '' && status === 'Infeasible'
            ? 'infeasible'
            : 'failed';
      // HiGHS: c + Px - A'y - d = 0 with y, d >= 0 at lower bounds; flip to the port's convention.
      const rowDual = solution.rowDual.map((v) => -v);
      const colDual = solution.colDual.map((v) => -v);
      const iterations = Number(
        model.info.get(this.method === 'qpasm' ? 'qp_iteration_count' : 'ipm_iteration_count') ?? 0,
      );
      return {
        outcome,
        status,
        x: Float64Array.from(solution.colValue),
        rowDual: Float64Array.from(rowDual),
        colDual: Float64Array.from(colDual),
        iterations,
        objective: model.getObjectiveValue(),
        ms: performance.now() - started,
      };
    } finally {
      model.dispose();
    }
  }
}

function statusName(highs: HighsModule, code: number): string {
  const names = highs.constants.modelStatus as unknown as Record<string, number>;
  for (const [name, value] of Object.entries(names)) {
    if (value === code) {
      if (name === 'optimal') return 'Optimal';
      if (name === 'infeasible') return 'Infeasible';
      return name;
    }
  }
  return `status ${code}`;
}
