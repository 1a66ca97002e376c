import { growFloat64, growInt32 } from './typed-growth';

/**
 * Maximum of the last `window` values per instrument with a monotonic deque:
 * each value is pushed and popped at most once, so O(1) amortised per bar and
 * `window` slots per instrument. The deque holds sequence numbers and values
 * in decreasing value order; the front is the window's maximum.
 */
export class RollingMaxKernel {
  private seqs = new Int32Array(0);
  private values = new Float64Array(0);
  /** Slot of the deque's front, in [0, window). */
  private head = new Int32Array(0);
  private length = new Int32Array(0);
  private pushed = new Int32Array(0);
  private instrumentCapacity = 0;

  /** Values looked back, the current one included; nothing ahead. */
  readonly lookBack: number;
  readonly lookForward = 0;

  constructor(readonly window: number) {
    this.lookBack = window;
  }

  ensureInstruments(capacity: number): void {
    if (capacity <= this.instrumentCapacity) return;
    this.seqs = growInt32(this.seqs, capacity * this.window);
    this.values = growFloat64(this.values, capacity * this.window);
    this.head = growInt32(this.head, capacity);
    this.length = growInt32(this.length, capacity);
    this.pushed = growInt32(this.pushed, capacity);
    this.instrumentCapacity = capacity;
  }

  push(instrument: number, value: number): void {
    const w = this.window;
    const base = instrument * w;
    const seq = this.pushed[instrument]++;
    let head = this.head[instrument];
    let length = this.length[instrument];
    // Drop the front if it left the window, then every smaller value at the back
    // (it can never be the maximum again while `value` is in the window).
    if (length > 0 && this.seqs[base + head] <= seq - w) {
      head = head + 1 === w ? 0 : head + 1;
      length--;
    }
    let back = head + length - 1;
    if (back >= w) back -= w;
    while (length > 0 && this.values[base + back] <= value) {
      length--;
      back = back === 0 ? w - 1 : back - 1;
    }
    let slot = head + length;
    if (slot >= w) slot -= w;
    this.seqs[base + slot] = seq;
    this.values[base + slot] = value;
    this.head[instrument] = head;
    this.length[instrument] = length + 1;
  }

  /** Maximum of the values in the window (NaN before any push). */
  max(instrument: number): number {
    if (this.length[instrument] === 0) return NaN;
    return this.values[instrument * this.window + this.head[instrument]];
  }
}
