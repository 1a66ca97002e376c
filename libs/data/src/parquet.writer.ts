import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import { InputError } from '@alphafeed/core';
import { duckDbBindings, sqlString, withDuckDb } from './duckdb.session';
import type { ParquetColumnInput, ParquetTableInput } from './parquet.types';

export interface ParquetWriteOptions {
  /** Rows per row group (default 122,880, DuckDB's; DuckDB rounds to its 2,048-row vectors). */
  readonly rowGroupSize?: number;
  /** Default snappy, what pandas and pyarrow write. */
  readonly compression?: 'snappy' | 'zstd' | 'gzip' | 'none';
}

/**
 * Writes a flat table as Parquet with DuckDB. Columns: `double` (DOUBLE),
 * `float` (FLOAT), `int32` (INT32), `date` (day numbers, INT32 + DATE),
 * `string` (text, or dictionary codes + dictionary as a panel holds them;
 * written as a dictionary-encoded UTF8 column through a DuckDB ENUM, so the
 * strings are never expanded per row). All columns REQUIRED; NaN stays NaN.
 *
 * Where the time goes (measured, `npm run bench -- parquet`, README): the
 * table reaches DuckDB through a table function (`COPY (SELECT * FROM
 * alphafeed_typed_columns(id)) TO ...`) whose scan copies the next 2,048 rows
 * of each typed array into DuckDB's vectors (one `memcpy` per column per
 * vector; string codes remapped to the ENUM's width in a 2,048-entry
 * scratch), so the rows stream straight into DuckDB's Parquet writer. The
 * earlier route (an appender into an in-memory table, then `COPY` of the
 * table) spent about 40 % of its CPU building that table. Numeric columns are
 * written PLAIN (`DICTIONARY_SIZE_LIMIT 1`): DuckDB otherwise hashes every
 * value of every numeric column to try a dictionary and a Bloom filter, about
 * 40 % of the remaining CPU, and prices and returns are all distinct anyway;
 * string columns (ENUMs) keep their dictionary. Memory: DuckDB's buffer of
 * one row group. The file is written to a temporary name in the same
 * directory, fsynced, then renamed, so a reader never sees half a file.
 */
export async function writeParquet(
  path: string,
  table: ParquetTableInput,
  options: ParquetWriteOptions = {},
): Promise<void> {
  validate(table);
  const rowGroupSize = options.rowGroupSize ?? 122_880;
  if (!(Number.isInteger(rowGroupSize) && rowGroupSize > 0))
    throw new RangeError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  const compression = options.compression ?? 'snappy';
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const id = sequence++;
  openScans.set(id, scanSource(table));
  try {
    await withDuckDb(async (connection) => {
      registerScanFunction(connection);
      await connection.run(
        `COPY (SELECT * FROM ${SCAN_FUNCTION}(${id})) TO ${sqlString(temp)} (FORMAT parquet, ` +
          `COMPRESSION ${compression === 'none' ? 'uncompressed' : compression}, ROW_GROUP_SIZE ${rowGroupSize}, ` +
          `DICTIONARY_SIZE_LIMIT 1)`,
      );
    });
    const fd = openSync(temp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  } finally {
    openScans.delete(id);
  }
}

function validate(table: ParquetTableInput): void {
  const names = new Set<string>();
  for (const c of table.columns) {
    if (names.has(c.name)) throw new InputError(`parquet column "${c.name}" is given twice`);
    names.add(c.name);
    const length = c.type === 'string' && 'codes' in c ? c.codes.length : c.values.length;
    if (length !== table.length)
      throw new InputError(
        `parquet column "${c.name}" has ${length} values for a table of ${table.length} rows`,
      );
    if (c.type === 'string' && 'codes' in c) {
      const size = c.dictionary.length;
      for (let i = 0; i < c.codes.length; i++) {
        const code = c.codes[i];
        if (!(code >= 0 && code < size))
          throw new InputError(
            `parquet column "${c.name}" row ${i}: code ${code} outside its dictionary of ${size}`,
          );
      }
    }
  }
}

/** Dictionary and codes of a string column (text columns are coded here, O(rows) with a Map). */
function codedStrings(c: Extract<ParquetColumnInput, { type: 'string' }>): {
  codes: Int32Array;
  dictionary: readonly string[];
} {
  if ('codes' in c) return c;
  const ids = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(c.values.length);
  for (let i = 0; i < c.values.length; i++) {
    const v = c.values[i];
    let id = ids.get(v);
    if (id === undefined) {
      id = dictionary.length;
      ids.set(v, id);
      dictionary.push(v);
    }
    codes[i] = id;
  }
  return { codes, dictionary };
}

/** A table as the scan function hands it to DuckDB: per column its DuckDB type and its source. */
interface ScanSource {
  readonly length: number;
  readonly names: readonly string[];
  readonly types: readonly DuckDBType[];
  /** Numbers and dates: the typed array itself. Strings: codes, the code -> ENUM index map and a scratch vector. */
  readonly columns: readonly (
    | {
        readonly kind: 'typed';
        readonly values: Float64Array | Float32Array | Int32Array;
        /** Set when `values` lives in a SharedArrayBuffer, which DuckDB's bindings refuse: a vector-sized copy. */
        readonly scratch: Float64Array | Float32Array | Int32Array | null;
      }
    | {
        readonly kind: 'enum';
        readonly codes: Int32Array;
        readonly remap: Int32Array;
        readonly scratch: Uint8Array | Uint16Array | Uint32Array;
      }
  )[];
}

const SCAN_FUNCTION = 'alphafeed_typed_columns';
const VECTOR_ROWS = 2048;
/** Tables being written, by the id the COPY statement passes to the scan function. */
const openScans = new Map<number, ScanSource>();
let sequence = 0;
let registered = false;

function scanSource(table: ParquetTableInput): ScanSource {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const names: string[] = [];
  const types: DuckDBType[] = [];
  const columns: ScanSource['columns'][number][] = [];
  for (const c of table.columns) {
    names.push(c.name);
    if (c.type !== 'string') {
      types.push({ double: api.DOUBLE, float: api.FLOAT, int32: api.INTEGER, date: api.DATE }[c.type]);
      const shared = typeof SharedArrayBuffer !== 'undefined' && c.values.buffer instanceof SharedArrayBuffer;
      const scratch = shared
        ? new (c.values.constructor as new (n: number) => Float64Array | Float32Array | Int32Array)(
            VECTOR_ROWS,
          )
        : null;
      columns.push({ kind: 'typed', values: c.values, scratch });
      continue;
    }
    const { codes, dictionary } = codedStrings(c);
    // An ENUM needs distinct members; a dictionary with repeats is written through a deduplicated one.
    const members = [...new Set(dictionary)];
    const memberOf = new Map(members.map((m, i) => [m, i]));
    const remap = Int32Array.from(dictionary, (d) => memberOf.get(d) as number);
    if (members.length === 0) members.push('');
    types.push(api.ENUM(members));
    // The vector's physical type: the narrowest unsigned integer that holds the ENUM (DuckDB's rule).
    const scratch =
      members.length <= 0xff
        ? new Uint8Array(VECTOR_ROWS)
        : members.length <= 0xffff
          ? new Uint16Array(VECTOR_ROWS)
          : new Uint32Array(VECTOR_ROWS);
    columns.push({ kind: 'enum', codes, remap, scratch });
  }
  return { length: table.length, names, types, columns };
}

/**
 * Registers the scan function once per DuckDB instance (a registered
 * function outlives the connection that registered it). Bind looks the
 * table up by id; the scan runs on one DuckDB thread, so rows reach the
 * writer in order, and each call fills the next vector. DuckDB calls it
 * back on the JavaScript thread while `connection.run` awaits.
 */
function registerScanFunction(connection: DuckDBConnection): void {
  if (registered) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const duckdb = duckDbBindings();
  const fn = api.DuckDBTableFunction.create({
    name: SCAN_FUNCTION,
    parameterTypes: [api.INTEGER],
    bindFunction: (bind) => {
      const source = openScans.get(Number(bind.getParameter(0)));
      if (source === undefined) {
        bind.setError(`${SCAN_FUNCTION}: no table is being written under id ${String(bind.getParameter(0))}`);
        return;
      }
      source.names.forEach((name, k) => bind.addResultColumn(name, source.types[k]));
      bind.setCardinality(source.length, true);
      bind.setBindData(source);
    },
    initFunction: (init) => {
      init.setMaxThreads(1);
      init.setInitData({ next: 0 });
    },
    mainFunction: (info, output) => {
      const source = info.bindData as ScanSource;
      const cursor = info.initData as { next: number };
      const from = cursor.next;
      const size = Math.min(VECTOR_ROWS, source.length - from);
      output.rowCount = size;
      if (size === 0) return;
      for (let k = 0; k < source.columns.length; k++) {
        const column = source.columns[k];
        let values: Float64Array | Float32Array | Int32Array | Uint8Array | Uint16Array | Uint32Array;
        if (column.kind === 'typed') {
          values = column.values.subarray(from, from + size);
          if (column.scratch !== null) {
            column.scratch.set(values);
            values = column.scratch.subarray(0, size);
          }
        } else {
          const { codes, remap, scratch } = column;
          for (let i = 0; i < size; i++) scratch[i] = remap[codes[from + i]];
          values = scratch.subarray(0, size);
        }
        duckdb.copy_data_to_vector(
          duckdb.data_chunk_get_vector(output.chunk, k),
          0,
          values.buffer as ArrayBuffer,
          values.byteOffset,
          values.byteLength,
        );
      }
      cursor.next = from + size;
    },
  });
  connection.registerTableFunction(fn);
  registered = true;
}
