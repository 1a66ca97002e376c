/**
 * Write and read throughput of the embedded store: 1M rows x 15 double
 * columns, written in per-date batches of 5000 rows (a replay's shape), then
 * re-written (all upserts), then read back.
 * Run: node libs/codec/scripts/ts-run.js libs/store/scripts/embedded-store.bench.ts [rows] [write|flush]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedStore, type KeyedColumns, type TableSpec } from '../src';

const rows = Number(process.argv[3] ?? 1_000_000);
const sync = (process.argv[4] ?? 'write') as 'write' | 'flush';
const perDate = 5000;
const columns = Array.from({ length: 15 }, (_, j) => `f${j}`);
const spec: TableSpec = { name: 'features', columns: columns.map((name) => ({ name, kind: 'double' })), tags: ['config_hash'], extraKeys: [] };
const instruments = Array.from({ length: perDate }, (_, i) => `I${String(i).padStart(5, '0')}`);

const batches: KeyedColumns[] = [];
for (let start = 0, d = 0; start < rows; start += perDate, d++) {
  const n = Math.min(perDate, rows - start);
  const cols: Record<string, Float64Array> = {};
  for (const c of columns) cols[c] = Float64Array.from({ length: n }, (_, i) => (i % 97 === 0 ? NaN : i * 1e-3 + d));
  batches.push({
    region: 'us', length: n, date: new Int32Array(n).fill(19000 + d), instrument: Int32Array.from({ length: n }, (_, i) => i),
    instruments, columns: cols, tags: { config_hash: 'h' },
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
  const path = join(dir, 'bench.afs');
  try {
    const store = await EmbeddedStore.open({ path, sync });
    await store.ensureTables([spec]);
    const time = async (label: string, fn: () => Promise<void>): Promise<void> => {
      const t0 = process.hrtime.bigint();
      await fn();
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`${label}: ${(rows / s / 1e3).toFixed(0)}k rows/s (${s.toFixed(2)} s)`);
    };
    await time(`write ${rows} x 15 doubles, fsync per ${sync}`, async () => {
      for (const b of batches) await store.write('features', b);
      await store.flush();
    });
    await time('re-write (all upserts)', async () => {
      for (const b of batches) await store.write('features', b);
      await store.flush();
    });
    await time('read all, sorted', async () => {
      const back = await store.read('features', { region: 'us' });
      if (back.length !== rows) throw new Error(`read ${back.length}`);
    });
    console.log(`file ${(statSync(path).size / 1e6).toFixed(0)} MB`);
    await time('close (compaction)', () => store.close());
    await time('reopen (replay)', async () => (await EmbeddedStore.open({ path })).close());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
void main();
