import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

/**
 * One in-memory DuckDB per process, opened on first use (~50–100 ms, the
 * native library load) and shared by every Parquet read and write, each on
 * its own connection (closed after use). An idle instance holds no event
 * loop handle, so it never keeps a process alive. The module is required
 * lazily so that code which never touches Parquet (the stream's validation,
 * for one) does not load the native library.
 */
let instance: Promise<DuckDBInstance> | null = null;

export async function withDuckDb<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  if (instance === null) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DuckDBInstance: Instance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
    instance = Instance.create(':memory:');
  }
  const connection = await (await instance).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/** The native bindings (vector data access), required lazily like the instance. */
export function duckDbBindings(): typeof import('@duckdb/node-bindings') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@duckdb/node-bindings') as typeof import('@duckdb/node-bindings');
}

/** A SQL string literal. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A SQL identifier. */
export function sqlName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
