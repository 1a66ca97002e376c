import { growInt32, nextCapacity } from './typed-growth';

/**
 * The last `window` records (of `fields` numbers each) of one series per
 * instrument, in one flat Float64Array laid out time-major: field f of slot s
 * of instrument i is at `s * stride + i * fields + f`. A date's
 * bars arrive in instrument order and most instruments sit at the same slot,
 * so a date's pushes and lags sweep memory sequentially instead of jumping one
 * ring (and one page) per instrument; at 3,000 instruments that is several
 * times faster than an instrument-major layout. The row stride is padded off
 * a power of two (`paddedStride`) so that the slots one bar reads do not all
 * map to the same cache sets. Push and lag are O(1) with no division.
 */
export class InstrumentRing {
  /** The cells; address them through `push` and `lag`. */
  values = new Float64Array(0);
  /** Slot of the latest record per instrument. */
  private head = new Int32Array(0);
  private pushed = new Int32Array(0);
  private instrumentCapacity = 0;
  private stride = 0;

  constructor(
    readonly window: number,
    readonly fields = 1,
  ) {}

  ensureInstruments(needed: number): void {
    if (needed <= this.instrumentCapacity) return;
    const capacity = nextCapacity(this.instrumentCapacity, needed);
    const stride = paddedStride(capacity * this.fields);
    this.values = regrowTimeMajor(this.values, this.window, this.stride, stride, NaN);
    this.stride = stride;
    this.head = growInt32(this.head, capacity, this.window - 1);
    this.pushed = growInt32(this.pushed, capacity);
    this.instrumentCapacity = capacity;
  }

  /** Opens a new record for the instrument; returns the index of its field 0 in `values`. */
  push(instrument: number): number {
    let slot = this.head[instrument] + 1;
    if (slot === this.window) slot = 0;
    this.head[instrument] = slot;
    this.pushed[instrument]++;
    return slot * this.stride + instrument * this.fields;
  }

  /** Records pushed so far. */
  count(instrument: number): number {
    return this.pushed[instrument];
  }

  /** Index of field 0 of the record pushed `lag` pushes ago (0 = the latest); `lag < window`. */
  lag(instrument: number, lag: number): number {
    let slot = this.head[instrument] - lag;
    if (slot < 0) slot += this.window;
    return slot * this.stride + instrument * this.fields;
  }
}

/**
 * Row stride (in doubles) of a time-major array whose rows hold `width`
 * doubles: rounded up to whole 64-byte lines plus one line, so consecutive
 * rows are an odd number of lines apart. With a power-of-two stride every
 * slot of one instrument would fall in the same cache set and evict the others.
 */
export function paddedStride(width: number): number {
  return Math.ceil(width / 8) * 8 + 8;
}

/**
 * Re-lays a time-major `slots x oldStride` array as `slots x newStride`, new
 * cells set to `fill`. O(slots * newStride), at capacity doublings only.
 */
export function regrowTimeMajor(
  old: Float64Array,
  slots: number,
  oldStride: number,
  newStride: number,
  fill: number,
): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(slots * newStride);
  if (fill !== 0) grown.fill(fill);
  for (let s = 0; s < slots && oldStride > 0; s++) {
    grown.set(old.subarray(s * oldStride, (s + 1) * oldStride), s * newStride);
  }
  return grown;
}
