/**
 * Clarabel (the Oxford interior-point conic solver, Rust crate `clarabel`)
 * behind the `QpSolver` port, through the small C ABI in `../native` loaded
 * with koffi. The only module that touches the native library.
 *
 * Clarabel's form is `min ½x'Px + q'x  s.t.  A x + s = b, s in K`: equalities
 * (and fixed variables) go to the zero cone, every finite bound of a row or
 * variable to one row of the nonnegative cone. Its duals z come back in the
 * port's convention `rowDual = z_upper - z_lower`. Translation is O(nnz).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import koffi, { type LibraryHandle } from 'koffi';
import { SolverUnavailableError } from './errors';
import type { QpForm } from './qp-form';
import type { QpOutcome, QpSolution, QpSolver } from './qp-solver';

/** Where `scripts/setup.sh` builds the library (override with ALPHAFEED_QP_LIB). */
export const QP_LIBRARY_PATH = join(__dirname, '..', 'native', 'target', 'release', 'libalphafeed_qp.so');

type NativeSolve = (...args: unknown[]) => number;
interface Bindings {
  readonly clarabel: NativeSolve;
  readonly osqp: NativeSolve | null;
}

let bindings: Bindings | null = null;

/** Loads the native library once per process. */
export function qpLibrary(): Bindings {
  if (bindings !== null) return bindings;
  const path = process.env.ALPHAFEED_QP_LIB ?? resolveBuiltLibrary();
  let handle: LibraryHandle;
  try {
    handle = koffi.load(path);
  } catch (err) {
    throw new SolverUnavailableError(
      `the Clarabel QP library could not be loaded from ${path} (${(err as Error).message}); run npm run setup (it builds libs/optimizer/native with cargo) or set ALPHAFEED_QP_LIB`,
      { cause: err },
    );
  }
  const clarabel = handle.func(
    'int af_clarabel_solve(int n, int m, const int *pStart, const int *pRow, const double *pValue, const double *q, ' +
      'const int *aStart, const int *aRow, const double *aValue, const double *b, int nZero, int nNonneg, ' +
      'double tolFeas, double tolGapAbs, double tolGapRel, int maxIter, _Out_ double *x, _Out_ double *z, _Out_ double *s, _Out_ double *info)',
  ) as NativeSolve;
  let osqp: NativeSolve | null = null;
  try {
    osqp = handle.func(
      'int af_osqp_solve(int n, int m, const int *pStart, const int *pRow, const double *pValue, const double *q, ' +
        'const int *aStart, const int *aRow, const double *aValue, const double *l, const double *u, ' +
        'double eps, int maxIter, int polish, _Out_ double *x, _Out_ double *y, _Out_ double *info)',
    ) as NativeSolve;
  } catch {
    // Built without `--features osqp` (the default): only the comparison bench needs it.
  }
  bindings = { clarabel, osqp };
  return bindings;
}

function resolveBuiltLibrary(): string {
  // From dist/libs/optimizer/src the sources' native folder is three levels further up.
  const fromDist = join(
    __dirname,
    '..',
    '..',
    '..',
    '..',
    'libs',
    'optimizer',
    'native',
    'target',
    'release',
    'libalphafeed_qp.so',
  );
  return existsSync(QP_LIBRARY_PATH) ? QP_LIBRARY_PATH : fromDist;
}

const CLARABEL_STATUS = [
  'Unsolved',
  'Solved',
  'PrimalInfeasible',
  'DualInfeasible',
  'AlmostSolved',
  'AlmostPrimalInfeasible',
  'AlmostDualInfeasible',
  'MaxIterations',
  'MaxTime',
  'NumericalError',
  'InsufficientProgress',
];

export interface ClarabelOptions {
  readonly maxIterations: number;
}

export function createClarabelSolver(options: Partial<ClarabelOptions> = {}): QpSolver {
  const native = qpLibrary();
  const maxIterations = options.maxIterations ?? 200;
  return {
    name: 'clarabel',
    solve(form: QpForm, tolerance: number): QpSolution {
      const started = performance.now();
      const cone = toConeForm(form);
      const n = form.variables;
      const m = cone.rows;
      const x = new Float64Array(n);
      const z = new Float64Array(m);
      const s = new Float64Array(m);
      const info = new Float64Array(8);
      const code = native.clarabel(
        n,
        m,
        form.P.colStart,
        form.P.rowIndex,
        form.P.value,
        form.c,
        cone.colStart,
        cone.rowIndex,
        cone.value,
        cone.b,
        cone.zeroRows,
        m - cone.zeroRows,
        tolerance,
        // Clarabel stops when the absolute OR the relative gap (against max(1, |objective|))
        // is below its tolerance; a book's objective is ~1e-3 and the weights of an
        // interior-point solution are only as exact as the gap allows, so both are tightened.
        tolerance * 1e-3,
        tolerance * 1e-3,
        maxIterations,
        x,
        z,
        s,
        info,
      );
      if (code < 0)
        throw new SolverUnavailableError(
          `Clarabel refused the problem (setup failed, code ${code}): a bug in the QP translation`,
        );
      const status = CLARABEL_STATUS[code] ?? `code ${code}`;
      const outcome: QpOutcome =
        status === 'Solved'
          ? 'solved'
          : status === 'PrimalInfeasible' || status === 'AlmostPrimalInfeasible'
            ? 'infeasible'
            : 'failed';
      const { rowDual, colDual } = cone.duals(z);
      return {
        outcome,
        status,
        x,
        rowDual,
        colDual,
        iterations: info[0],
        objective: info[1],
        ms: performance.now() - started,
      };
    },
  };
}

interface ConeForm {
  readonly rows: number;
  readonly zeroRows: number;
  readonly colStart: Int32Array;
  readonly rowIndex: Int32Array;
  readonly value: Float64Array;
  readonly b: Float64Array;
  duals(z: Float64Array): { rowDual: Float64Array; colDual: Float64Array };
}

/**
 * QpForm -> Clarabel's `A x + s = b`. Cone rows are numbered zero cone
 * first (equality rows, fixed variables), then the nonnegative cone (row
 * uppers, row lowers, variable uppers, variable lowers). A lower bound l
 * becomes `-a'x + s = -l`.
 */
export function toConeForm(form: QpForm): ConeForm {
  const m0 = form.constraints;
  const n = form.variables;
  const eqRow = new Int32Array(m0).fill(-1);
  const upRow = new Int32Array(m0).fill(-1);
  const loRow = new Int32Array(m0).fill(-1);
  const fixVar = new Int32Array(n).fill(-1);
  const upVar = new Int32Array(n).fill(-1);
  const loVar = new Int32Array(n).fill(-1);
  let next = 0;
  for (let r = 0; r < m0; r++) if (form.rowLower[r] === form.rowUpper[r]) eqRow[r] = next++;
  for (let j = 0; j < n; j++) if (form.varLower[j] === form.varUpper[j]) fixVar[j] = next++;
  const zeroRows = next;
  for (let r = 0; r < m0; r++) if (eqRow[r] < 0 && form.rowUpper[r] !== Infinity) upRow[r] = next++;
  for (let r = 0; r < m0; r++) if (eqRow[r] < 0 && form.rowLower[r] !== -Infinity) loRow[r] = next++;
  for (let j = 0; j < n; j++) if (fixVar[j] < 0 && form.varUpper[j] !== Infinity) upVar[j] = next++;
  for (let j = 0; j < n; j++) if (fixVar[j] < 0 && form.varLower[j] !== -Infinity) loVar[j] = next++;
  const rows = next;

  const b = new Float64Array(rows);
  for (let r = 0; r < m0; r++) {
    if (eqRow[r] >= 0) b[eqRow[r]] = form.rowUpper[r];
    if (upRow[r] >= 0) b[upRow[r]] = form.rowUpper[r];
    if (loRow[r] >= 0) b[loRow[r]] = -form.rowLower[r];
  }
  for (let j = 0; j < n; j++) {
    if (fixVar[j] >= 0) b[fixVar[j]] = form.varUpper[j];
    if (upVar[j] >= 0) b[upVar[j]] = form.varUpper[j];
    if (loVar[j] >= 0) b[loVar[j]] = -form.varLower[j];
  }

  const A = form.A;
  const capacity = 2 * A.colStart[n] + 2 * n;
  const colStart = new Int32Array(n + 1);
  const rowIndex = new Int32Array(capacity);
  const value = new Float64Array(capacity);
  let at = 0;
  for (let j = 0; j < n; j++) {
    colStart[j] = at;
    const first = at;
    for (let k = A.colStart[j]; k < A.colStart[j + 1]; k++) {
      const r = A.rowIndex[k];
      const v = A.value[k];
      if (eqRow[r] >= 0) {
        rowIndex[at] = eqRow[r];
        value[at++] = v;
        continue;
      }
      if (upRow[r] >= 0) {
        rowIndex[at] = upRow[r];
        value[at++] = v;
      }
      if (loRow[r] >= 0) {
        rowIndex[at] = loRow[r];
        value[at++] = -v;
      }
    }
    if (fixVar[j] >= 0) {
      rowIndex[at] = fixVar[j];
      value[at++] = 1;
    }
    if (upVar[j] >= 0) {
      rowIndex[at] = upVar[j];
      value[at++] = 1;
    }
    if (loVar[j] >= 0) {
      rowIndex[at] = loVar[j];
      value[at++] = -1;
    }
    // A handful of entries per column: insertion sort by row.
    for (let a = first + 1; a < at; a++) {
      const r = rowIndex[a];
      const v = value[a];
      let c = a - 1;
      while (c >= first && rowIndex[c] > r) {
        rowIndex[c + 1] = rowIndex[c];
        value[c + 1] = value[c];
        c--;
      }
      rowIndex[c + 1] = r;
      value[c + 1] = v;
    }
  }
  colStart[n] = at;

  return {
    rows,
    zeroRows,
    colStart,
    rowIndex: rowIndex.subarray(0, at),
    value: value.subarray(0, at),
    b,
    duals(z) {
      const rowDual = new Float64Array(m0);
      for (let r = 0; r < m0; r++) {
        if (eqRow[r] >= 0) rowDual[r] = z[eqRow[r]];
        else rowDual[r] = (upRow[r] >= 0 ? z[upRow[r]] : 0) - (loRow[r] >= 0 ? z[loRow[r]] : 0);
      }
      const colDual = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        if (fixVar[j] >= 0) colDual[j] = z[fixVar[j]];
        else colDual[j] = (upVar[j] >= 0 ? z[upVar[j]] : 0) - (loVar[j] >= 0 ? z[loVar[j]] : 0);
      }
      return { rowDual, colDual };
    },
  };
}
