/**
 * Helpers to build the row-major `DenseMatrix` the models take from the
 * columnar frames the pipeline passes around.
 */
import { InputError, type DenseMatrix } from '@alphafeed/core';

/**
 * Packs columns into a row-major matrix, optionally only the rows in `rows`
 * (in that order). Float32 is what XGBoost takes without a further copy;
 * Float64 keeps Ridge exact. O(rows × cols), one allocation.
 */
export function denseFromColumns(
  columns: readonly ArrayLike<number>[],
  options: { rows?: Int32Array | readonly number[]; type?: 'float32' | 'float64' } = {},
): DenseMatrix {
  const cols = columns.length;
  if (cols === 0) throw new InputError('denseFromColumns needs at least one column');
  const length = columns[0].length;
  for (let j = 1; j < cols; j++) {
    if (columns[j].length !== length) {
      throw new InputError(`column ${j} has ${columns[j].length} values, column 0 has ${length}`);
    }
  }
  const pick = options.rows;
  const rows = pick === undefined ? length : pick.length;
  const values = options.type === 'float32' ? new Float32Array(rows * cols) : new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const src = pick === undefined ? i : pick[i];
    if (!(src >= 0 && src < length)) throw new InputError(`row index ${src} is outside 0..${length - 1}`);
    const base = i * cols;
    for (let j = 0; j < cols; j++) values[base + j] = columns[j][src];
  }
  return { values, rows, cols };
}

/**
 * The same matrix as float32 (the input itself when it already is), converted
 * once, O(n). A finite float64 beyond float32's range (|x| > 3.4e38) would
 * become ±Infinity, which XGBoost would silently treat as a value; it is
 * refused instead, naming row and column.
 */
export function toFloat32(X: DenseMatrix): DenseMatrix & { readonly values: Float32Array } {
  if (X.values instanceof Float32Array) return X as DenseMatrix & { readonly values: Float32Array };
  const src = X.values;
  const values = new Float32Array(src.length);
  for (let k = 0; k < src.length; k++) {
    values[k] = src[k];
    const v = values[k];
    if (v === Infinity || v === -Infinity) {
      if (src[k] === v) continue;
      const row = Math.floor(k / X.cols);
      throw new InputError(
        `value ${src[k]} at row ${row}, column ${k - row * X.cols} does not fit in float32`,
      );
    }
  }
  return { values, rows: X.rows, cols: X.cols };
}

/**
 * Rows of columnar data read in place: row i is `columns[j][rows[i]]` for
 * every column j (row i of the columns themselves when `rows` is omitted).
 * The `fitRows` / `predictRows` methods of the models take this instead of a
 * packed `DenseMatrix`, so a fit on millions of rows does not first copy them
 * into a row-major matrix of its own (SPEC-scale runs: 10M rows × 13 columns
 * is 1 GB in float64 per copy).
 */
export interface ColumnRows {
  readonly columns: readonly ArrayLike<number>[];
  readonly rows?: Int32Array;
}

/** Number of rows of `src`. */
export function rowCount(src: ColumnRows): number {
  return src.rows === undefined ? (src.columns[0]?.length ?? 0) : src.rows.length;
}
