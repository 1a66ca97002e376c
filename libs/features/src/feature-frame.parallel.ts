import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { dateOffsets } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { RAW_WIDTH } from './feature-names';
import type { FeatureEngine, RowSink } from './feature.engine';
import { CONTROL } from './raw-features.protocol';
import type { RawWorkerData } from './raw-features.protocol';

/** Worker count when none is given: one per core (`os.availableParallelism()`). */
export function defaultFeatureWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** Dates per block handed between the main thread and the workers (two blocks in flight). */
const BLOCK_DATES = 128;

/** The frame's columns `computeFrameInWorkers` fills (a `RowSink` plus the date of each row). */
export interface FrameSink extends Omit<RowSink, 'featureIndustry'> {
  readonly date: Int32Array;
}

/**
 * The batch features on `workers` threads; returns the rows written to
 * `frame` (from row 0). Work is split three ways, in a pipeline of
 * 128-date blocks:
 *
 * 1. raw features on the workers, sharded by instrument (contiguous id
 *    ranges of about equal bar counts). They are independent per instrument
 *    except `beta_252`, whose market side is the universe mean return of
 *    each date: this thread computes those means first (the same sums in
 *    the same order as the one-thread engine) and hands them over;
 * 2. validation, carry-forward and the NaN drop on this thread, in calendar
 *    order (`FeatureEngine.gatherDateFromRaw`; the carry-forward is the one
 *    sequential step): key and style columns straight into `frame`, model
 *    features into a shared staging block;
 * 3. the per-date preprocessing (winsorising and industry z-scores, about
 *    half of this thread's former work) back on the workers, sharded by
 *    date (date d on worker d mod workers, the same `CrossSectionPreprocessor`
 *    code), while this thread gathers the next block; then this thread
 *    copies the staged block into `frame` (one copy per column per block).
 *
 * While the workers compute raw block k + 1 and preprocess block k, this
 * thread gathers block k + 1 (the carry-forward reads only raw rows). The panel's columns are copied once into
 * shared memory (~36 bytes a bar); besides, two raw blocks (~2 x 128 x bars
 * a date x 120 bytes) and two staging blocks (~2 x 128 x rows a date x 8
 * bytes a feature). This thread blocks in `Atomics.wait` while a block is
 * not ready, so the function stays synchronous. Bit-identical to
 * `workers: 1` (checked by `feature-frame-workers-bit-identical.spec.ts`).
 * `onDate(d)` is called once date d is gathered (its rows are final when
 * this function returns).
 */
export function computeFrameInWorkers(
  bars: BarPanel,
  engine: FeatureEngine,
  workers: number,
  rowOffsets: Int32Array,
  frame: FrameSink,
  onDate?: (dateIndex: number) => void,
): number {
  const calendarLength = bars.calendar.length;
  const offsets = dateOffsets(bars.date, calendarLength);
  const market = marketMeans(bars, offsets, engine);
  const blocks = Math.ceil(calendarLength / BLOCK_DATES);
  let maxBlockBars = 0;
  let maxBlockRows = 0;
  for (let k = 0; k < blocks; k++) {
    const d0 = k * BLOCK_DATES;
    const d1 = Math.min(calendarLength, d0 + BLOCK_DATES);
    maxBlockBars = Math.max(maxBlockBars, offsets[d1] - offsets[d0]);
    maxBlockRows = Math.max(maxBlockRows, rowOffsets[d1] - rowOffsets[d0]);
  }
  const featureCount = frame.features.length;
  const sharedFloat64 = (n: number) => new Float64Array(new SharedArrayBuffer(Math.max(1, n) * 8));
  const stageSet = () => ({
    features: Array.from({ length: featureCount }, () => sharedFloat64(maxBlockRows)),
    industry: new Int32Array(new SharedArrayBuffer(Math.max(1, maxBlockRows) * 4)),
  });
  const stages = [stageSet(), stageSet()] as const;
  // Literals with the engine's own sink's keys in its order: one hidden class, so the gather loop is not
  // deoptimised (an object spread here cost a deopt per date, measured with --trace-deopt).
  const stageSinks: RowSink[] = stages.map((stage) => ({
    instrument: frame.instrument,
    industry: frame.industry,
    carried: frame.carried,
    beta252: frame.beta252,
    size: frame.size,
    momentum: frame.momentum,
    vol60: frame.vol60,
    features: stage.features,
    featureIndustry: stage.industry,
  }));
  const { shards, sortedWithinDates } = shardByBars(bars, workers);
  const shared = {
    offsets: toShared(offsets),
    instrument: toShared(bars.instrument),
    sortedWithinDates,
    close: toShared(bars.close),
    volume: toShared(bars.volume),
    amount: bars.amount === null ? null : toShared(bars.amount),
    sharesOut: bars.sharesOut === null ? null : toShared(bars.sharesOut),
    market: toShared(market),
    dateRow: new Int32Array(new SharedArrayBuffer((calendarLength + 1) * 4)),
  };
  const buffers: [Float64Array, Float64Array] = [
    sharedFloat64(maxBlockBars * RAW_WIDTH),
    sharedFloat64(maxBlockBars * RAW_WIDTH),
  ];
  const threads = shards.length;
  const control = new Int32Array(new SharedArrayBuffer((CONTROL.PRODUCED + 2 * threads) * 4));
  const errorText = new Uint8Array(new SharedArrayBuffer(4096));
  const { lower, upper } = engine.options.winsorize;
  const started = shards.map(([from, to], worker) => {
    const data: RawWorkerData = {
      worker,
      workers: threads,
      from,
      to,
      instruments: bars.instruments.length,
      ...shared,
      blockDates: BLOCK_DATES,
      blocks,
      buffers,
      stageFeatures: [stages[0].features, stages[1].features],
      stageIndustry: [stages[0].industry, stages[1].industry],
      minIndustrySize: engine.options.minIndustrySize,
      winsorizeLower: lower,
      winsorizeUpper: upper,
      control,
      errorText,
    };
    return startWorker(data);
  });
  const { dateRow } = shared;
  /** Waits until every worker has preprocessed block k, then copies its staged features into the frame. */
  const collect = (k: number): void => {
    for (let w = 0; w < threads; w++) waitFor(control, CONTROL.PRODUCED + threads + w, k + 1, errorText);
    const d0 = k * BLOCK_DATES;
    const d1 = Math.min(calendarLength, d0 + BLOCK_DATES);
    const first = dateRow[d0];
    const count = dateRow[d1] - first;
    const staged = stages[k % 2].features;
    for (let f = 0; f < featureCount; f++) frame.features[f].set(staged[f].subarray(0, count), first);
  };
  let cursor = 0;
  try {
    for (let k = 0; k < blocks; k++) {
      for (let w = 0; w < threads; w++) waitFor(control, CONTROL.PRODUCED + w, k + 1, errorText);
      if (k >= 2) collect(k - 2); // frees staging block k % 2
      const buffer = buffers[k % 2];
      const stageSink = stageSinks[k % 2];
      const d0 = k * BLOCK_DATES;
      const d1 = Math.min(calendarLength, d0 + BLOCK_DATES);
      const start = offsets[d0];
      const blockFirstRow = cursor;
      for (let d = d0; d < d1; d++) {
        const a = offsets[d];
        const b = offsets[d + 1];
        dateRow[d] = cursor;
        const kept = engine.gatherDateFromRaw(
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
          stageSink,
          cursor,
          cursor - blockFirstRow,
        );
        frame.date.fill(d, cursor, cursor + kept);
        cursor += kept;
        onDate?.(d);
      }
      dateRow[d1] = cursor;
      Atomics.store(control, CONTROL.CONSUMED, k + 1);
      Atomics.notify(control, CONTROL.CONSUMED);
    }
    for (let k = Math.max(0, blocks - 2); k < blocks; k++) collect(k);
  } finally {
    for (const thread of started) void thread.terminate();
  }
  return cursor;
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

/**
 * Contiguous instrument id ranges with about equal bar counts, and whether
 * each date's rows come in increasing instrument order (as `BarPanel`
 * promises; then a worker finds its rows of a date by binary search instead
 * of scanning them all).
 */
function shardByBars(
  bars: BarPanel,
  workers: number,
): { shards: [number, number][]; sortedWithinDates: boolean } {
  const n = bars.instruments.length;
  const counts = new Float64Array(n);
  let sortedWithinDates = true;
  for (let r = 0; r < bars.length; r++) {
    counts[bars.instrument[r]]++;
    if (r > 0 && bars.date[r] === bars.date[r - 1] && bars.instrument[r] <= bars.instrument[r - 1])
      sortedWithinDates = false;
  }
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
  return { shards, sortedWithinDates };
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
