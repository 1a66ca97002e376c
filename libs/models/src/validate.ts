/**
 * Boundary validation, done once per call so the kernels can run plain loops.
 * Every failure is an `InputError` naming the offending row/column and value.
 */
import { InputError, type DenseMatrix } from '@alphafeed/core';
import type { ColumnRows } from './dense';

/** Checks shape and finiteness of X (row-major). O(rows × cols), one pass. */
export function checkMatrix(X: DenseMatrix, what = 'X'): void {
  const { rows, cols, values } = X;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 1) {
    throw new InputError(`${what} has an invalid shape ${rows} x ${cols}: rows must be >= 0 and cols >= 1`);
  }
  if (values.length !== rows * cols) {
    throw new InputError(
      `${what} holds ${values.length} values but its shape ${rows} x ${cols} needs ${rows * cols}`,
    );
  }
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v - v !== 0) {
      const row = Math.floor(k / cols);
      throw new InputError(
        `${what} has a non-finite value ${v} at row ${row}, column ${k - row * cols}: drop or impute it before fitting`,
      );
    }
  }
}

/** Checks that a column is as long as expected and finite. */
export function checkVector(v: Float64Array, length: number, what: string): void {
  if (v.length !== length) {
    throw new InputError(`${what} has ${v.length} values, expected ${length} (one per row)`);
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x - x !== 0) throw new InputError(`${what} has a non-finite value ${x} at row ${i}`);
  }
}

export function checkFitInput(X: DenseMatrix, y: Float64Array, minRows = 1): void {
  checkMatrix(X);
  if (X.rows < minRows) throw new InputError(`X has ${X.rows} rows; fitting needs at least ${minRows}`);
  checkVector(y, X.rows, 'y');
}

export function checkPositive(value: number, name: string, allowZero = false): void {
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InputError(`${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${value}`);
  }
}

/**
 * `checkMatrix` for rows read in place from columns: equal column lengths,
 * row indices in range, finite values on the selected rows (named by their
 * position in `src` and by the source row). O(rows × cols), one pass.
 * Returns the number of rows.
 */
export function checkColumnRows(src: ColumnRows, what = 'X'): number {
  const { columns, rows } = src;
  const cols = columns.length;
  if (cols < 1) throw new InputError(`${what} has no columns: cols must be >= 1`);
  const length = columns[0].length;
  for (let j = 1; j < cols; j++) {
    if (columns[j].length !== length) {
      throw new InputError(`${what}: column ${j} has ${columns[j].length} values, column 0 has ${length}`);
    }
  }
  const n = rows === undefined ? length : rows.length;
  for (let i = 0; i < n; i++) {
    const r = rows === undefined ? i : rows[i];
    if (!(r >= 0 && r < length)) {
      throw new InputError(`${what}: row index ${r} at row ${i} is outside 0..${length - 1}`);
    }
    for (let j = 0; j < cols; j++) {
      const v = columns[j][r];
      if (v - v !== 0) {
        throw new InputError(
          `${what} has a non-finite value ${v} at row ${i} (source row ${r}), column ${j}: drop or impute it before fitting`,
        );
      }
    }
  }
  return n;
}
