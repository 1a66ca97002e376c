/**
 * The column shapes of alphafeed's Parquet tables: typed arrays, strings
 * dictionary-coded. The files themselves are read and written by DuckDB
 * (`parquet.reader.ts`, `parquet.writer.ts`).
 */
/** A column to write. Strings may come as text or already dictionary-coded (codes index `dictionary`). */
export type ParquetColumnInput =
  | { readonly name: string; readonly type: 'double'; readonly values: Float64Array }
  | { readonly name: string; readonly type: 'float'; readonly values: Float32Array }
  | { readonly name: string; readonly type: 'int32'; readonly values: Int32Array }
  /** Day numbers (days since 1970-01-01), written as INT32 with the DATE logical type. */
  | { readonly name: string; readonly type: 'date'; readonly values: Int32Array }
  | { readonly name: string; readonly type: 'string'; readonly values: readonly string[] }
  | {
      readonly name: string;
      readonly type: 'string';
      readonly codes: Int32Array;
      readonly dictionary: readonly string[];
    };

export interface ParquetTableInput {
  readonly length: number;
  readonly columns: readonly ParquetColumnInput[];
}

/**
 * A column as read. Nulls become NaN in floating columns, -1 codes in string
 * columns, and are flagged in `nulls` (1 = null) for integer-like columns
 * (null when the column has none). INT64 is widened to float64 (exact up
 * to 2^53). Timestamps are milliseconds since the epoch (UTC).
 */
export type ParquetColumn =
  | { readonly name: string; readonly type: 'double'; readonly values: Float64Array }
  | { readonly name: string; readonly type: 'float'; readonly values: Float32Array }
  | {
      readonly name: string;
      readonly type: 'int32';
      readonly values: Int32Array;
      readonly nulls: Uint8Array | null;
    }
  | {
      readonly name: string;
      readonly type: 'int64';
      readonly values: Float64Array;
      readonly nulls: Uint8Array | null;
    }
  | {
      readonly name: string;
      readonly type: 'date';
      readonly values: Int32Array;
      readonly nulls: Uint8Array | null;
    }
  | {
      readonly name: string;
      readonly type: 'timestamp';
      readonly values: Float64Array;
      readonly nulls: Uint8Array | null;
    }
  | {
      readonly name: string;
      readonly type: 'boolean';
      readonly values: Uint8Array;
      readonly nulls: Uint8Array | null;
    }
  | {
      readonly name: string;
      readonly type: 'string';
      readonly codes: Int32Array;
      readonly dictionary: readonly string[];
    };

export interface ParquetTable {
  readonly length: number;
  readonly columns: readonly ParquetColumn[];
}
