import { growFloat64, growInt32 } from './typed-growth';

/**
 * The last `window` values of one series per instrument, in one flat
 * Float64Array (slot `i * window + seq % window`). Push and lag are O(1); the
 * memory is `window` doubles per instrument, nothing is allocated per value.
 */
export class InstrumentRing {
  private values: Float64Array;
  /** Values pushed so far per instrument (its sequence number of the next value). */
  private pushed: Int32Array;
  private instrumentCapacity = 0;

  constructor(readonly window: number) {
    this.values = new Float64Array(0);
    this.pushed = new Int32Array(0);
  }

  ensureInstruments(capacity: number): void {
    if (capacity <= this.instrumentCapacity) return;
    this.values = growFloat64(this.values, capacity * this.window, NaN);
    this.pushed = growInt32(this.pushed, capacity);
    this.instrumentCapacity = capacity;
  }

  push(instrument: number, value: number): void {
    const seq = this.pushed[instrument];
    this.values[instrument * this.window + (seq % this.window)] = value;
    this.pushed[instrument] = seq + 1;
  }

  count(instrument: number): number {
    return this.pushed[instrument];
  }

  /** The value pushed `lag` pushes ago (0 = the latest); `lag < window` and `lag < count`. */
  lag(instrument: number, lag: number): number {
    const seq = this.pushed[instrument] - 1 - lag;
    return this.values[instrument * this.window + (seq % this.window)];
  }
}
