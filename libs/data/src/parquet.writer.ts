import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '@alphafeed/core';
import { duckDbBindings, sqlName, sqlString, withDuckDb } from './duckdb.session';
import type { ParquetColumnInput, ParquetTableInput } from './parquet.types';

export interface ParquetWriteOptions {
  /** Rows per row group (default 122,880, DuckDB's; DuckDB rounds to its 2,048-row vectors). */
  readonly rowGroupSize?: number;
  /** Default snappy, what pandas and pyarrow write. */
  readonly compression?: 'snappy' | 'zstd' | 'gzip' | 'none';
}

const CHUNK_ROWS = 2048;

/**
 * Writes a flat table as Parquet with DuckDB. Columns: `double` (DOUBLE),
 * `float` (FLOAT), `int32` (INT32), `date` (day numbers, INT32 + DATE),
 * `string` (text, or dictionary codes + dictionary as a panel holds them;
 * written as a dictionary-encoded UTF8 column through a DuckDB ENUM, so the
 * strings are never expanded per row). All columns REQUIRED; NaN stays NaN.
 *
 * The typed arrays go into an in-memory DuckDB table 2,048 rows at a time
 * (appender data chunks: one `memcpy` per column per chunk), then
 * `COPY ... TO` writes the file with DuckDB's parallel writer. Memory: one
 * copy of the table inside DuckDB while writing. The file is written to a
 * temporary name in the same directory, fsynced, then renamed, so a reader
 * never sees half a file.
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
  await withDuckDb(async (connection) => {
    const tableName = `alphafeed_write_${process.pid}_${sequence++}`;
    try {
      await createTable(connection, tableName, table);
      await appendColumns(connection, tableName, table);
      await connection.run(
        `COPY ${tableName} TO ${sqlString(temp)} (FORMAT parquet, COMPRESSION ${compression === 'none' ? 'uncompressed' : compression}, ROW_GROUP_SIZE ${rowGroupSize})`,
      );
      const fd = openSync(temp, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(temp, path);
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    } finally {
      await connection.run(`DROP TABLE IF EXISTS ${tableName}`);
    }
  });
}

let sequence = 0;

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

async function createTable(
  connection: DuckDBConnection,
  name: string,
  table: ParquetTableInput,
): Promise<void> {
  const definitions: string[] = [];
  for (const [k, c] of table.columns.entries()) {
    let type: string;
    if (c.type === 'string') {
      const { dictionary } = codedStrings(c);
      // An ENUM needs distinct members; a dictionary with repeats is written through a deduplicated one.
      const members = [...new Set(dictionary)];
      type = `${name}_e${k}`;
      await connection.run(`DROP TYPE IF EXISTS ${type}`);
      await connection.run(
        `CREATE TYPE ${type} AS ENUM (${members.length === 0 ? "''" : members.map(sqlString).join(', ')})`,
      );
    } else {
      type = { double: 'DOUBLE', float: 'FLOAT', int32: 'INTEGER', date: 'DATE' }[c.type];
    }
    definitions.push(`${sqlName(c.name)} ${type} NOT NULL`);
  }
  await connection.run(`CREATE TABLE ${name} (${definitions.join(', ')})`);
}

/** Appends the table through data chunks of 2,048 rows: per column one copy into DuckDB's vector. */
async function appendColumns(
  connection: DuckDBConnection,
  name: string,
  table: ParquetTableInput,
): Promise<void> {
  const duckdb = duckDbBindings();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DuckDBDataChunk } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const appender = await connection.createAppender(name);
  try {
    const n = table.columns.length;
    const chunk = DuckDBDataChunk.create(table.columns.map((_, k) => appender.columnType(k)));
    // Per column: the values to copy, in the vector's physical type (an ENUM's is the narrowest
    // unsigned integer that holds its size, DuckDB's rule).
    const sources = table.columns.map((c) => {
      if (c.type !== 'string') return c.values;
      const { codes, dictionary } = codedStrings(c);
      const members = [...new Set(dictionary)];
      const memberOf = new Map(members.map((m, i) => [m, i]));
      const remap = dictionary.map((d) => memberOf.get(d) as number);
      const size = Math.max(1, members.length);
      const out =
        size <= 0xff
          ? new Uint8Array(codes.length)
          : size <= 0xffff
            ? new Uint16Array(codes.length)
            : new Uint32Array(codes.length);
      for (let i = 0; i < codes.length; i++) out[i] = remap[codes[i]];
      return out;
    });
    for (let from = 0; from < table.length; from += CHUNK_ROWS) {
      const size = Math.min(CHUNK_ROWS, table.length - from);
      chunk.rowCount = size;
      for (let k = 0; k < n; k++) {
        const values = sources[k].subarray(from, from + size);
        duckdb.copy_data_to_vector(
          duckdb.data_chunk_get_vector(chunk.chunk, k),
          0,
          values.buffer as ArrayBuffer,
          values.byteOffset,
          values.byteLength,
        );
      }
      appender.appendDataChunk(chunk);
      chunk.reset();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
