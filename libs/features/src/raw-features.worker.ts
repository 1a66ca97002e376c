/**
 * Worker thread of the parallel batch (`feature-frame.parallel.ts`): the raw
 * features (SPEC §2, beta included) of the instruments [from, to), date
 * block by date block, into a shared buffer the main thread reads; and,
 * once the main thread has gathered a block's rows, the preprocessing
 * (SPEC §3) of that block's dates d with d mod workers = worker. Each
 * instrument's kernels are a `RawFeatureState`, fed the same bars and the
 * same per-date market means as the one-thread engine, and each date is
 * preprocessed by the engine's `CrossSectionPreprocessor`, so the frame is
 * bit-identical. Synchronised with `Atomics` only: the main thread blocks in
 * `Atomics.wait` and never reads messages while the batch runs.
 */
import { workerData } from 'node:worker_threads';
import { CrossSectionPreprocessor } from './cross-section.kernel';
import { RAW_WIDTH } from './feature-names';
import { RawFeatureState } from './raw-features.state';
import { CONTROL, type RawWorkerData } from './raw-features.protocol';

const data = workerData as RawWorkerData;
try {
  run(data);
} catch (err) {
  const text = new TextEncoder()
    .encode(String((err as Error)?.stack ?? err))
    .subarray(0, data.errorText.length);
  data.errorText.set(text);
  Atomics.store(data.control, CONTROL.ERROR, 1);
  Atomics.notify(data.control, CONTROL.PRODUCED + data.worker);
  Atomics.notify(data.control, CONTROL.PRODUCED + data.workers + data.worker);
}

function run(d: RawWorkerData): void {
  const { control } = d;
  const state = new RawFeatureState(d.sharesOut !== null);
  state.ensureInstruments(d.instruments);
  const preprocessor = new CrossSectionPreprocessor(d.minIndustrySize, d.winsorizeLower, d.winsorizeUpper);
  for (let k = 0; k < d.blocks; k++) {
    // Two buffers: wait until the main thread has consumed block k - 2.
    waitUntil(control, CONTROL.CONSUMED, k - 1);
    rawBlock(d, state, k);
    Atomics.store(control, CONTROL.PRODUCED + d.worker, k + 1);
    Atomics.notify(control, CONTROL.PRODUCED + d.worker);
    if (k >= 1) preprocessBlock(d, preprocessor, k - 1);
  }
  if (d.blocks > 0) preprocessBlock(d, preprocessor, d.blocks - 1);
}

/** Raw rows of this worker's instruments on the dates of block k. */
function rawBlock(d: RawWorkerData, state: RawFeatureState, k: number): void {
  const { from, to, offsets, instrument, close, volume, amount, sharesOut, market } = d;
  const raw = state.rawRow;
  const dates = offsets.length - 1;
  const buffer = d.buffers[k % 2];
  const d0 = k * d.blockDates;
  const d1 = Math.min(dates, d0 + d.blockDates);
  const start = offsets[d0];
  for (let day = d0; day < d1; day++) {
    const m = market[day];
    const end = offsets[day + 1];
    let row = d.sortedWithinDates ? firstRowOf(instrument, offsets[day], end, from) : offsets[day];
    for (; row < end; row++) {
      const i = instrument[row];
      if (i >= to) {
        if (d.sortedWithinDates) break;
        continue;
      }
      if (i < from) continue;
      const c = close[row];
      const v = volume[row];
      const r = state.pushBar(
        i,
        c,
        v,
        amount === null ? c * v : amount[row],
        sharesOut === null ? NaN : sharesOut[row],
      );
      state.pushMarket(i, r, m);
      // A plain loop: `set(subarray)` allocates a view per bar.
      const source = i * RAW_WIDTH;
      const target = (row - start) * RAW_WIDTH;
      for (let c2 = 0; c2 < RAW_WIDTH; c2++) buffer[target + c2] = raw[source + c2];
    }
  }
}

/** Preprocesses this worker's dates of block k in the staging block, once the main thread has gathered it. */
function preprocessBlock(d: RawWorkerData, preprocessor: CrossSectionPreprocessor, k: number): void {
  const { control, dateRow } = d;
  waitUntil(control, CONTROL.CONSUMED, k + 1);
  const dates = d.offsets.length - 1;
  const d0 = k * d.blockDates;
  const d1 = Math.min(dates, d0 + d.blockDates);
  const features = d.stageFeatures[k % 2];
  const industry = d.stageIndustry[k % 2];
  const first = dateRow[d0];
  for (let day = d0; day < d1; day++) {
    if (day % d.workers !== d.worker) continue;
    const a = dateRow[day] - first;
    const b = dateRow[day + 1] - first;
    preprocessor.apply(
      features.map((column) => column.subarray(a, b)),
      industry.subarray(a, b),
      b - a,
    );
  }
  const slot = CONTROL.PRODUCED + d.workers + d.worker;
  Atomics.store(control, slot, k + 1);
  Atomics.notify(control, slot);
}

/** The first row in [lo, hi) whose instrument is >= id (rows in increasing instrument order). */
function firstRowOf(instrument: Int32Array, lo: number, hi: number, id: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (instrument[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Blocks until `control[slot] >= value`. */
function waitUntil(control: Int32Array, slot: number, value: number): void {
  for (;;) {
    const current = Atomics.load(control, slot);
    if (current >= value) return;
    Atomics.wait(control, slot, current, 1000);
  }
}
