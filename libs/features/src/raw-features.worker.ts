/**
 * Worker thread of the parallel batch (`feature-frame.parallel.ts`): the raw
 * features (SPEC §2, beta included) of the instruments [from, to), date
 * block by date block, into a shared buffer the main thread reads. Each
 * instrument's kernels are a `RawFeatureState`, fed the same bars and the
 * same per-date market means as the one-thread engine, so its raw rows are
 * bit-identical. Synchronised with `Atomics` only: the main thread blocks in
 * `Atomics.wait` and never reads messages while the batch runs.
 */
import { workerData } from 'node:worker_threads';
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
}

function run(d: RawWorkerData): void {
  const { from, to, offsets, instrument, close, volume, amount, sharesOut, market, control } = d;
  const state = new RawFeatureState(sharesOut !== null);
  state.ensureInstruments(d.instruments);
  const raw = state.rawRow;
  const dates = offsets.length - 1;
  for (let k = 0; k < d.blocks; k++) {
    // Two buffers: wait until the main thread has consumed block k - 2.
    for (;;) {
      const consumed = Atomics.load(control, CONTROL.CONSUMED);
      if (k - consumed < 2) break;
      Atomics.wait(control, CONTROL.CONSUMED, consumed, 1000);
    }
    const buffer = d.buffers[k % 2];
    const d0 = k * d.blockDates;
    const d1 = Math.min(dates, d0 + d.blockDates);
    const start = offsets[d0];
    for (let day = d0; day < d1; day++) {
      const m = market[day];
      for (let row = offsets[day]; row < offsets[day + 1]; row++) {
        const i = instrument[row];
        if (i < from || i >= to) continue;
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
        buffer.set(raw.subarray(i * RAW_WIDTH, (i + 1) * RAW_WIDTH), (row - start) * RAW_WIDTH);
      }
    }
    Atomics.store(control, CONTROL.PRODUCED + d.worker, k + 1);
    Atomics.notify(control, CONTROL.PRODUCED + d.worker);
  }
}
