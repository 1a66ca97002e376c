import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { dateOffsets } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { RAW_WIDTH } from './feature-names';
import type { FeatureEngine, FeatureRows } from './feature.engine';
import { CONTROL } from './raw-features.protocol';
import type { RawWorkerData } from './raw-features.protocol';

/** Worker count when none is given: one per core (`os.availableParallelism()`). */
export function defaultFeatureWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Dates per block handed from the workers to the main thread (two blocks in flight). */
const BLOCK_DATES = 128;

/**
 * The batch raw features on `workers` threads, sharded by instrument; the
 * carry-forward and the per-date cross-section stay on this thread
 * (`FeatureEngine.closeDateFromRaw`), in calendar order.
 *
 * Raw features are independent per instrument except `beta_252`, whose
 * market side is the universe mean return of each date: this thread computes
 * those means first (one pass over the bars, the same sums in the same order
 * as the one-thread engine) and hands them over, so every worker computes its
 * instruments completely. Shards are contiguous id ranges of about equal bar
 * counts. The panel's columns are copied once into shared memory (~36 bytes
 * a bar); workers write the raw rows of a block of 128 dates into one of two
 * shared buffers while this thread consumes the other, so memory is the
 * panel copy plus two blocks (~2 x 128 x bars a date x 120 bytes). This thread
 * blocks in `Atomics.wait` while a block is not ready, so the function stays
 * synchronous. Bit-identical to `workers: 1` (checked by
 * `feature-frame-workers-bit-identical.spec.ts`).
 */
export function computeRawInWorkers(
  bars: BarPanel,
  engine: FeatureEngine,
  workers: number,
  visit: (dateIndex: number, rows: FeatureRows) => void,
): void {
  const calendarLength = bars.calendar.length;
  const offsets = dateOffsets(bars.date, calendarLength);
  const market = marketMeans(bars, offsets, engine);
  const blocks = Math.ceil(calendarLength / BLOCK_DATES);
  let maxBlockBars = 0;
  for (let k = 0; k < blocks; k++) {
    const d0 = k * BLOCK_DATES;
    const d1 = Math.min(calendarLength, d0 + BLOCK_DATES);
    maxBlockBars = Math.max(maxBlockBars, offsets[d1] - offsets[d0]);
  }
  const shared = {
    offsets: toShared(offsets),
    instrument: toShared(bars.instrument),
    close: toShared(bars.close),
    volume: toShared(bars.volume),
    amount: bars.amount === null ? null : toShared(bars.amount),
    sharesOut: bars.sharesOut === null ? null : toShared(bars.sharesOut),
    market: toShared(market),
  };
  const buffers: [Float64Array, Float64Array] = [
    new Float64Array(new SharedArrayBuffer(Math.max(1, maxBlockBars * RAW_WIDTH) * 8)),
    new Float64Array(new SharedArrayBuffer(Math.max(1, maxBlockBars * RAW_WIDTH) * 8)),
  ];
  const control = new Int32Array(new SharedArrayBuffer((CONTROL.PRODUCED + workers) * 4));
  const errorText = new Uint8Array(new SharedArrayBuffer(4096));
  const shards = shardByBars(bars, workers);
  const threads = shards.map(([from, to], worker) => {
    const data: RawWorkerData = {
      worker,
      from,
      to,
      instruments: bars.instruments.length,
      ...shared,
      blockDates: BLOCK_DATES,
      blocks,
      buffers,
      control,
      errorText,
    };
    return startWorker(data);
  });
  try {
    for (let k = 0; k < blocks; k++) {
      for (let w = 0; w < threads.length; w++) waitFor(control, CONTROL.PRODUCED + w, k + 1, errorText);
      const buffer = buffers[k % 2];
      const d0 = k * BLOCK_DATES;
      const d1 = Math.min(calendarLength, d0 + BLOCK_DATES);
      const start = offsets[d0];
      for (let d = d0; d < d1; d++) {
        const a = offsets[d];
        const b = offsets[d + 1];
        const rows = engine.closeDateFromRaw(
          d,
          {
            length: b - a,
            instrument: bars.instrument.subarray(a, b),
            industry: bars.industry.subarray(a, b),
            close: bars.close.subarray(a, b),
            volume: bars.volume.subarray(a, b),
            amount: bars.amount === null ? null : bars.amount.subarray(a, b),
            sharesOut: bars.sharesOut === null ? null : bars.sharesOut.subarray(a, b),
          },
          buffer.subarray((a - start) * RAW_WIDTH, (b - start) * RAW_WIDTH),
        );
        visit(d, rows);
      }
      Atomics.store(control, CONTROL.CONSUMED, k + 1);
      Atomics.notify(control, CONTROL.CONSUMED);
    }
  } finally {
    for (const thread of threads) void thread.terminate();
  }
}

/**
 * Universe mean return per date, as `FeatureEngine.pushBars` sums it: the
 * bars of a date in panel order, each bar's return on its instrument's
 * previous bar, members only; NaN when no member has a return.
 */
function marketMeans(bars: BarPanel, offsets: Int32Array, engine: FeatureEngine): Float64Array {
  const membership = engine.options.membership;
  const previous = new Float64Array(bars.instruments.length).fill(NaN);
  const market = new Float64Array(bars.calendar.length);
  for (let d = 0; d < market.length; d++) {
    let sum = 0;
    let count = 0;
    for (let row = offsets[d]; row < offsets[d + 1]; row++) {
      const i = bars.instrument[row];
      const close = bars.close[row];
      const prev = previous[i];
      previous[i] = close;
      if (prev !== prev) continue;
      const r = close / prev - 1;
      if (r === r && (membership === null || membership.isMember(i, d))) {
        sum += r;
        count++;
      }
    }
    market[d] = count > 0 ? sum / count : NaN;
  }
  return market;
}

/** Contiguous instrument id ranges with about equal bar counts. */
function shardByBars(bars: BarPanel, workers: number): [number, number][] {
  const n = bars.instruments.length;
  const counts = new Float64Array(n);
  for (let r = 0; r < bars.length; r++) counts[bars.instrument[r]]++;
  const shards: [number, number][] = [];
  let from = 0;
  let done = 0;
  for (let w = 0; w < workers && from < n; w++) {
    const target = ((w + 1) * bars.length) / workers;
    let to = from;
    while (to < n && (done + counts[to] <= target || to === from || w === workers - 1)) done += counts[to++];
    shards.push([from, to]);
    from = to;
  }
  if (from < n) shards[shards.length - 1][1] = n;
  return shards;
}

function toShared<T extends Float64Array | Int32Array>(values: T): T {
  const out = new (values.constructor as { new (buffer: SharedArrayBuffer): T })(
    new SharedArrayBuffer(Math.max(1, values.length) * values.BYTES_PER_ELEMENT),
  );
  out.set(values);
  return out.length === values.length ? out : (out.subarray(0, values.length) as T);
}

function waitFor(control: Int32Array, slot: number, value: number, errorText: Uint8Array): void {
  for (;;) {
    if (Atomics.load(control, CONTROL.ERROR) !== 0) {
      const end = errorText.indexOf(0);
      const text = new TextDecoder().decode(errorText.slice(0, end < 0 ? errorText.length : end));
      throw new Error(`a raw-feature worker failed: ${text}`);
    }
    const current = Atomics.load(control, slot);
    if (current >= value) return;
    Atomics.wait(control, slot, current, 1000);
  }
}

/**
 * The worker from the built JavaScript beside this file; from TypeScript
 * sources (Jest, ts-node) through a bootstrap that compiles `.ts` files with
 * swc, the compiler the tests use.
 */
function startWorker(data: RawWorkerData): Worker {
  const compiled = join(__dirname, 'raw-features.worker.js');
  if (existsSync(compiled)) return unref(new Worker(compiled, { workerData: data }));
  const source = join(__dirname, 'raw-features.worker.ts');
  const bootstrap = `
    const { transformSync } = require('@swc/core');
    const fs = require('node:fs');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' },
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(source)});
  `;
  readFileSync(source); // fails clearly if neither file exists
  return unref(new Worker(bootstrap, { eval: true, workerData: data }));
}

function unref(worker: Worker): Worker {
  worker.unref();
  return worker;
}
