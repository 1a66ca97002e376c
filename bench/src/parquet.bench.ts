/**
 * `npm run bench -- parquet [instruments] [years]`: the Parquet library
 * choice, measured. A synthetic bar table (default 3,000 instruments x 15
 * years, ~10.5M rows: date, instrument, OHLCV, amount, shares_out, industry)
 * is written and read back to typed columns with dictionary-coded strings
 * (what the Parquet bar source needs) by each candidate that is installed:
 *
 * - DuckDB (`@duckdb/node-api`, alphafeed's dependency: `writeParquet` / `readParquet`);
 * - hyparquet + hyparquet-writer + hyparquet-compressors (pure JavaScript);
 * - parquet-wasm + apache-arrow (Rust compiled to WebAssembly).
 *
 * Only DuckDB is a dependency; to compare, install the others for the run
 * (`npm install --no-save hyparquet hyparquet-writer hyparquet-compressors
 * parquet-wasm apache-arrow`). Each candidate reads the file DuckDB wrote and
 * a file pyarrow-style readers must handle is not needed for the rate: the
 * same bytes are read by all. CPU time is printed beside wall time (the box
 * is shared).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BarPanel } from '@alphafeed/core';
import { generateSyntheticBars, readParquet, writeBarsParquet } from '@alphafeed/data';

export async function run(args: string[]): Promise<void> {
  const sizes = args.filter((a) => !a.startsWith('--'));
  const instruments = sizes[0] === undefined ? 3000 : Number(sizes[0]);
  const years = sizes[1] === undefined ? 15 : Number(sizes[1]);
  const bars = generateSyntheticBars({ region: 'us', instruments, years, seed: 42 });
  print(`table: ${bars.length} rows x ${bars.amount === null ? 9 : 10} columns`);
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-bench-parquet-'));
  try {
    const duckdbFile = join(dir, 'duckdb.parquet');
    await measure('duckdb write (snappy)', bars.length, () => writeBarsParquet(bars, duckdbFile));
    print(`  file ${(statSync(duckdbFile).size / 1e6).toFixed(0)} MB`);
    await measure('duckdb read', bars.length, async () => {
      const t = await readParquet(duckdbFile);
      if (t.length !== bars.length) throw new Error('duckdb read lost rows');
    });
    await hyparquet(bars, dir, duckdbFile);
    await parquetWasm(bars, dir, duckdbFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(label: string, rows: number, work: () => Promise<void>): Promise<void> {
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  print(
    `${label}: ${seconds.toFixed(2)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s cpu = ${(rows / seconds / 1e6).toFixed(2)} M rows/s`,
  );
}

/** A module if installed, else null (candidates are not dependencies). */
async function optional<T>(name: string): Promise<T | null> {
  try {
    return (await import(name)) as T;
  } catch {
    print(`${name}: not installed, skipped (npm install --no-save ${name})`);
    return null;
  }
}

interface HyparquetModule {
  parquetRead(options: {
    file: ArrayBuffer;
    compressors?: unknown;
    onChunk?: (chunk: { columnName: string; columnData: ArrayLike<unknown> }) => void;
  }): Promise<void>;
}
interface HyparquetWriterModule {
  parquetWriteFile(options: {
    filename: string;
    columnData: { name: string; data: ArrayLike<unknown>; type?: string; nullable?: boolean }[];
  }): void;
}

async function hyparquet(bars: BarPanel, dir: string, duckdbFile: string): Promise<void> {
  const reader = await optional<HyparquetModule>('hyparquet');
  const compressors = await optional<{ compressors: unknown }>('hyparquet-compressors');
  const writer = await optional<HyparquetWriterModule>('hyparquet-writer');
  if (writer !== null) {
    await measure('hyparquet-writer write', bars.length, async () => {
      const columns: { name: string; data: ArrayLike<unknown>; type?: string; nullable?: boolean }[] = [
        { name: 'date', data: bars.date, type: 'INT32', nullable: false },
        {
          name: 'instrument',
          data: Array.from(bars.instrument, (k) => bars.instruments[k]),
          type: 'STRING',
          nullable: false,
        },
      ];
      for (const name of ['open', 'high', 'low', 'close', 'volume'] as const)
        columns.push({ name, data: bars[name], type: 'DOUBLE', nullable: false });
      writer.parquetWriteFile({ filename: join(dir, 'hyparquet.parquet'), columnData: columns });
    });
  }
  if (reader !== null) {
    await measure('hyparquet read (+ dictionary coding of strings)', bars.length, async () => {
      const bytes = readFileSync(duckdbFile);
      const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      const ids = new Map<unknown, number>();
      let rows = 0;
      await reader.parquetRead({
        file,
        compressors: compressors?.compressors,
        onChunk: ({ columnName, columnData }) => {
          if (columnName === 'instrument') {
            for (let i = 0; i < columnData.length; i++) {
              const v = columnData[i];
              if (!ids.has(v)) ids.set(v, ids.size);
            }
          }
          if (columnName === 'close') rows += columnData.length;
        },
      });
      if (rows !== bars.length) throw new Error(`hyparquet read ${rows} rows`);
    });
  }
}

interface ParquetWasmModule {
  readParquet(bytes: Uint8Array): { intoIPCStream(): Uint8Array };
  writeParquet(table: unknown): Uint8Array;
  Table: { fromIPCStream(bytes: Uint8Array): unknown };
}
interface ArrowModule {
  tableFromIPC(bytes: Uint8Array): {
    numRows: number;
    getChild(name: string): { data: { values: ArrayLike<number> }[] } | null;
  };
  tableToIPC(table: unknown, type: string): Uint8Array;
  Table: new (columns: Record<string, unknown>) => unknown;
  makeVector(values: unknown): unknown;
  makeData(options: Record<string, unknown>): unknown;
  vectorFromArray(values: readonly string[], type: unknown): unknown;
  Utf8: new () => unknown;
  Int32: new () => unknown;
  DateDay: new () => unknown;
  Dictionary: new (values: unknown, indices: unknown) => unknown;
}

async function parquetWasm(bars: BarPanel, dir: string, duckdbFile: string): Promise<void> {
  const wasm = await optional<ParquetWasmModule>('parquet-wasm');
  const arrow = await optional<ArrowModule>('apache-arrow');
  if (wasm === null || arrow === null) return;
  await measure('parquet-wasm write (via arrow IPC)', bars.length, async () => {
    const dictionary = arrow.vectorFromArray(bars.instruments, new arrow.Utf8());
    const columns: Record<string, unknown> = {
      date: arrow.makeVector(
        arrow.makeData({ type: new arrow.DateDay(), length: bars.length, data: bars.date }),
      ),
      instrument: arrow.makeVector(
        arrow.makeData({
          type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
          length: bars.length,
          data: bars.instrument,
          dictionary,
        }),
      ),
    };
    for (const name of ['open', 'high', 'low', 'close', 'volume'] as const)
      columns[name] = arrow.makeVector(bars[name]);
    const ipc = arrow.tableToIPC(new arrow.Table(columns), 'stream');
    writeFileSync(join(dir, 'wasm.parquet'), wasm.writeParquet(wasm.Table.fromIPCStream(ipc)));
  });
  await measure('parquet-wasm read (via arrow IPC)', bars.length, async () => {
    const table = arrow.tableFromIPC(wasm.readParquet(readFileSync(duckdbFile)).intoIPCStream());
    if (table.numRows !== bars.length) throw new Error('parquet-wasm lost rows');
  });
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
