/**
 * Parquet enums and the column shapes of our tables (parquet-format
 * `parquet.thrift`; only the values we read or write).
 */
export const PhysicalType = {
  BOOLEAN: 0,
  INT32: 1,
  INT64: 2,
  INT96: 3,
  FLOAT: 4,
  DOUBLE: 5,
  BYTE_ARRAY: 6,
  FIXED_LEN_BYTE_ARRAY: 7,
} as const;
export const Repetition = { REQUIRED: 0, OPTIONAL: 1, REPEATED: 2 } as const;
export const ConvertedType = { UTF8: 0, DATE: 6, TIMESTAMP_MILLIS: 9, TIMESTAMP_MICROS: 10 } as const;
export const Encoding = { PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, BIT_PACKED: 4, RLE_DICTIONARY: 8 } as const;
export const Codec = {
  UNCOMPRESSED: 0,
  SNAPPY: 1,
  GZIP: 2,
  LZO: 3,
  BROTLI: 4,
  LZ4: 5,
  ZSTD: 6,
  LZ4_RAW: 7,
} as const;
export const PageType = { DATA_PAGE: 0, INDEX_PAGE: 1, DICTIONARY_PAGE: 2, DATA_PAGE_V2: 3 } as const;
export const CODEC_NAMES = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];
export const MAGIC = Buffer.from('PAR1', 'latin1');

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
