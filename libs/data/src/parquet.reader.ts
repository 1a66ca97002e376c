import { statSync } from 'node:fs';
import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import { InputError } from '@alphafeed/core';
import { duckDbBindings, sqlName, sqlString, withDuckDb } from './duckdb.session';
import type { ParquetColumn, ParquetTable } from './parquet.types';

export interface ParquetReadOptions {
  /** Columns to read, in this order (default: all, in file order). */
  readonly columns?: readonly string[];
  /** Rows read so far and the file's row count. */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface ParquetBatchOptions extends ParquetReadOptions {
  /** Rows per batch handed to `onBatch` (default 131,072; batches end on DuckDB's 2,048-row vectors). */
  readonly batchRows?: number;
}

/** A column's name and the shape it is read as. */
export interface ParquetSchema {
  readonly numRows: number;
  readonly columns: readonly { readonly name: string; readonly type: ParquetColumn['type'] }[];
}

/** How one file column is selected and decoded. */
interface Plan {
  readonly name: string;
  readonly type: ParquetColumn['type'];
  /** The SELECT expression. */
  readonly select: string;
  /** string columns: the sorted distinct values (the enum). */
  dictionary: string[];
}

/**
 * Parquet files read by DuckDB (maintained, native, multi-threaded): every
 * codec (snappy, zstd, gzip, lz4, brotli), PLAIN / dictionary / DELTA /
 * BYTE_STREAM_SPLIT encodings, data pages v1 and v2, INT96 and timestamps of
 * every unit, REQUIRED or OPTIONAL leaves: what pandas/pyarrow and polars
 * write by default and with their options (checked by
 * `parquet-reads-pyarrow-and-polars-files.spec.ts` on files they write).
 *
 * Columns come back as typed arrays: DOUBLE, FLOAT, integers (INT32 range
 * as `int32`, wider as `int64` widened to float64, exact to 2^53),
 * DECIMAL as `double`, BOOLEAN, DATE (day numbers), TIMESTAMP of any unit
 * and zone as `timestamp` (ms since the epoch, UTC), strings
 * dictionary-coded with one sorted dictionary per file (DuckDB casts them to
 * an ENUM built from the column's distinct values, so no per-row string
 * reaches JavaScript). Nulls: NaN in floating columns, code -1 in strings, a
 * `nulls` flag (1 = null) in the others. Nested columns (LIST, STRUCT, MAP),
 * BLOB, TIME and INTERVAL are refused with an InputError.
 *
 * Cost: one scan of the file for the data plus one per string column for its
 * distinct values; rows stream out in 2,048-row vectors, copied into the
 * output arrays, so memory is the output plus DuckDB's buffers.
 */
export async function readParquet(path: string, options: ParquetReadOptions = {}): Promise<ParquetTable> {
  return withDuckDb(async (connection) => {
    const plans = await planColumns(connection, path, options.columns);
    const numRows = await rowCount(connection, path);
    const sink = plans.map((plan) => newColumn(plan, numRows));
    let done = 0;
    await scan(connection, path, plans, (chunk, rows) => {
      copyChunk(chunk, rows, plans, sink, done);
      done += rows;
      options.onProgress?.(done, numRows);
    });
    return { length: numRows, columns: sink };
  });
}

/**
 * The file in batches of about `batchRows` rows, for sources that keep only
 * one batch in memory (the Parquet bar source). `firstRow` numbers the rows
 * in the file (0-based). Resolves with the file's row count.
 */
export async function readParquetBatches(
  path: string,
  options: ParquetBatchOptions,
  onBatch: (table: ParquetTable, firstRow: number) => void,
): Promise<{ numRows: number }> {
  const batchRows = options.batchRows ?? 131_072;
  return withDuckDb(async (connection) => {
    const plans = await planColumns(connection, path, options.columns);
    const numRows = await rowCount(connection, path);
    let first = 0;
    let filled = 0;
    let sink = plans.map((plan) => newColumn(plan, Math.min(batchRows, numRows)));
    const flush = (): void => {
      if (filled === 0) return;
      const columns = filled === columnLength(sink[0]) ? sink : sink.map((c) => truncate(c, filled));
      onBatch({ length: filled, columns }, first);
      first += filled;
      filled = 0;
      options.onProgress?.(first, numRows);
      sink = plans.map((plan) => newColumn(plan, Math.min(batchRows, numRows - first)));
    };
    await scan(connection, path, plans, (chunk, rows) => {
      let offset = 0;
      while (offset < rows) {
        const room = columnLength(sink[0]) - filled;
        const take = Math.min(room, rows - offset);
        copyChunk(chunk, take, plans, sink, filled, offset);
        filled += take;
        offset += take;
        if (filled === columnLength(sink[0])) flush();
      }
    });
    flush();
    return { numRows };
  });
}

/** Column names, their shapes and the row count, from the footer (no data read). */
export async function readParquetSchema(path: string): Promise<ParquetSchema> {
  return withDuckDb(async (connection) => {
    const plans = await planColumns(connection, path, undefined, false);
    return {
      numRows: await rowCount(connection, path),
      columns: plans.map((p) => ({ name: p.name, type: p.type })),
    };
  });
}

const source = (path: string): string => `read_parquet(${sqlString(path)})`;

async function rowCount(connection: DuckDBConnection, path: string): Promise<number> {
  const rows = await query(connection, path, `SELECT count(*) AS n FROM ${source(path)}`);
  return Number(rows[0][0]);
}

/** Runs a small query and returns its rows as JS values; DuckDB's errors become InputErrors naming the file. */
async function query(connection: DuckDBConnection, path: string, sql: string): Promise<unknown[][]> {
  try {
    const result = await connection.run(sql);
    return (await result.getRowsJS()) as unknown[][];
  } catch (err) {
    throw readError(path, err);
  }
}

function readError(path: string, err: unknown): InputError {
  let what = 'it is not a parquet file or it is damaged';
  try {
    statSync(path);
  } catch {
    what = 'it does not exist or is not readable';
  }
  return new InputError(
    `cannot read parquet file ${path}: ${what} (${(err as Error).message.split('\n')[0]}); check the path and the file`,
    { cause: err },
  );
}

/** Types of the file's columns and how each is selected. */
async function planColumns(
  connection: DuckDBConnection,
  path: string,
  wanted: readonly string[] | undefined,
  withDictionaries = true,
): Promise<Plan[]> {
  const described = await query(connection, path, `DESCRIBE SELECT * FROM ${source(path)}`);
  const types = new Map(described.map((row) => [String(row[0]), String(row[1])]));
  const names = wanted ?? [...types.keys()];
  const plans: Plan[] = [];
  for (const name of names) {
    const duckType = types.get(name);
    if (duckType === undefined) {
      throw new InputError(
        `parquet file ${path} has no column "${name}"; it has ${[...types.keys()].join(', ')}`,
      );
    }
    plans.push(planColumn(path, name, duckType));
  }
  if (withDictionaries) {
    let k = 0;
    for (const plan of plans) {
      if (plan.type !== 'string') continue;
      const q = sqlName(plan.name);
      const rows = await query(
        connection,
        path,
        `SELECT DISTINCT ${q} FROM ${source(path)} WHERE ${q} IS NOT NULL ORDER BY ${q}`,
      );
      plan.dictionary = rows.map((r) => String(r[0]));
      const enumName = `alphafeed_enum_${k++}`;
      await connection.run(`DROP TYPE IF EXISTS ${enumName}`);
      await connection.run(
        `CREATE TYPE ${enumName} AS ENUM (${plan.dictionary.length === 0 ? "''" : plan.dictionary.map(sqlString).join(', ')})`,
      );
      (plan as { select: string }).select = `CAST(${q} AS ${enumName})`;
    }
  }
  return plans;
}

const INT32_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT']);
const INT64_TYPES = new Set(['UINTEGER', 'BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

function planColumn(path: string, name: string, duckType: string): Plan {
  const q = sqlName(name);
  const plan = (type: ParquetColumn['type'], select: string): Plan => ({
    name,
    type,
    select,
    dictionary: [],
  });
  if (duckType === 'DOUBLE') return plan('double', q);
  if (duckType === 'FLOAT') return plan('float', q);
  if (duckType.startsWith('DECIMAL')) return plan('double', `CAST(${q} AS DOUBLE)`);
  if (INT32_TYPES.has(duckType)) return plan('int32', `CAST(${q} AS INTEGER)`);
  if (INT64_TYPES.has(duckType)) return plan('int64', `CAST(${q} AS DOUBLE)`);
  if (duckType === 'BOOLEAN') return plan('boolean', q);
  if (duckType === 'DATE') return plan('date', q);
  if (duckType.startsWith('TIMESTAMP')) return plan('timestamp', `CAST(epoch_ms(${q}) AS DOUBLE)`);
  if (duckType === 'VARCHAR') return plan('string', q);
  throw new InputError(
    `parquet file ${path}: column "${name}" is ${duckType}, which alphafeed does not read; ` +
      'give it a flat numeric, boolean, date, timestamp or string type',
  );
}

/** Streams the selected columns in file order, one DuckDB vector (up to 2,048 rows) at a time. */
async function scan(
  connection: DuckDBConnection,
  path: string,
  plans: readonly Plan[],
  onChunk: (chunk: DuckDBDataChunk, rows: number) => void,
): Promise<void> {
  if (plans.length === 0) return;
  let result;
  try {
    result = await connection.stream(`SELECT ${plans.map((p) => p.select).join(', ')} FROM ${source(path)}`);
  } catch (err) {
    throw readError(path, err);
  }
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk === null || chunk.rowCount === 0) break;
    onChunk(chunk, chunk.rowCount);
  }
}

function newColumn(plan: Plan, n: number): ParquetColumn {
  const { name } = plan;
  switch (plan.type) {
    case 'double':
      return { name, type: 'double', values: new Float64Array(n) };
    case 'float':
      return { name, type: 'float', values: new Float32Array(n) };
    case 'int32':
      return { name, type: 'int32', values: new Int32Array(n), nulls: null };
    case 'int64':
      return { name, type: 'int64', values: new Float64Array(n), nulls: null };
    case 'date':
      return { name, type: 'date', values: new Int32Array(n), nulls: null };
    case 'timestamp':
      return { name, type: 'timestamp', values: new Float64Array(n), nulls: null };
    case 'boolean':
      return { name, type: 'boolean', values: new Uint8Array(n), nulls: null };
    case 'string':
      return { name, type: 'string', codes: new Int32Array(n), dictionary: plan.dictionary };
  }
}

function columnLength(c: ParquetColumn | undefined): number {
  if (c === undefined) return 0;
  return c.type === 'string' ? c.codes.length : c.values.length;
}

function truncate(c: ParquetColumn, n: number): ParquetColumn {
  if (c.type === 'string') return { ...c, codes: c.codes.subarray(0, n) };
  const values = c.values.subarray(0, n);
  if (c.type === 'double' || c.type === 'float') return { ...c, values } as ParquetColumn;
  return { ...c, values, nulls: c.nulls === null ? null : c.nulls.subarray(0, n) } as ParquetColumn;
}

/**
 * Copies `rows` rows of a chunk (from row `from`) into the sink columns at
 * `at`: typed-array views on DuckDB's vector memory, `set` into the output,
 * then the validity mask (absent when the vector has no null).
 */
function copyChunk(
  chunk: DuckDBDataChunk,
  rows: number,
  plans: readonly Plan[],
  sink: ParquetColumn[],
  at: number,
  from = 0,
): void {
  const duckdb = duckDbBindings();
  const size = chunk.rowCount;
  for (let c = 0; c < plans.length; c++) {
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, c);
    const column = sink[c];
    const validity = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8);
    const isNull = (i: number): boolean => validity !== null && ((validity[i >> 3] >> (i & 7)) & 1) === 0;
    if (column.type === 'string') {
      const type = duckdb.enum_internal_type(duckdb.vector_get_column_type(vector));
      const width = type === duckdb.Type.UTINYINT ? 1 : type === duckdb.Type.USMALLINT ? 2 : 4;
      const bytes = duckdb.vector_get_data(vector, size * width);
      const codes =
        width === 1
          ? new Uint8Array(bytes.buffer, bytes.byteOffset, size)
          : width === 2
            ? new Uint16Array(bytes.buffer, bytes.byteOffset, size)
            : new Uint32Array(bytes.buffer, bytes.byteOffset, size);
      const out = column.codes;
      for (let i = 0; i < rows; i++) out[at + i] = isNull(from + i) ? -1 : codes[from + i];
      continue;
    }
    const width =
      column.type === 'double' || column.type === 'int64' || column.type === 'timestamp'
        ? 8
        : column.type === 'boolean'
          ? 1
          : 4;
    const bytes = duckdb.vector_get_data(vector, size * width);
    const view =
      width === 8
        ? new Float64Array(bytes.buffer, bytes.byteOffset, size)
        : column.type === 'float'
          ? new Float32Array(bytes.buffer, bytes.byteOffset, size)
          : width === 4
            ? new Int32Array(bytes.buffer, bytes.byteOffset, size)
            : bytes;
    (column.values as Float64Array).set(view.subarray(from, from + rows) as Float64Array, at);
    if (validity === null) continue;
    if (column.type === 'double' || column.type === 'float') {
      for (let i = 0; i < rows; i++) if (isNull(from + i)) column.values[at + i] = NaN;
    } else {
      for (let i = 0; i < rows; i++) {
        if (!isNull(from + i)) continue;
        let nulls = column.nulls;
        if (nulls === null) {
          nulls = new Uint8Array(column.values.length);
          (column as { nulls: Uint8Array | null }).nulls = nulls;
        }
        nulls[at + i] = 1;
      }
    }
  }
}
