import { paddedStride, regrowTimeMajor } from './instrument-ring';
import { growFloat64, growInt32, nextCapacity } from './typed-growth';

/**
 * Maximum drawdown inside a sliding window of closes (SPEC `mdd_126`):
 * `min over s in window of close[s] / max(closes of the window up to s) - 1`.
 *
 * The running maximum restarts at the window's first close, so the value is
 * not a rolling min of a global drawdown series. It is an associative
 * aggregate over (max, min, mdd) with
 * `merge(older, newer) = (max, min, min(older.mdd, newer.mdd, newer.min / older.max - 1))`,
 * kept in a two-stack queue: the older block stores suffix aggregates, the
 * newer block one running aggregate; when the older block empties, the newer
 * one is folded into suffixes in one O(window) pass. O(1) amortised per bar.
 *
 * Each drawdown term is `close / max - 1` for one close and one maximum, as a
 * naive loop computes it, and rounding is monotone, so the result equals the
 * naive re-scan bit for bit. Per-slot arrays are time-major (see
 * `InstrumentRing`).
 */
export class WindowDrawdownKernel {
  private closes = new Float64Array(0);
  private suffixMax = new Float64Array(0);
  private suffixMdd = new Float64Array(0);
  private backMax = new Float64Array(0);
  private backMin = new Float64Array(0);
  private backMdd = new Float64Array(0);
  /** Sequence numbers: the window is [start, pushed), the older block [start, split). */
  private start = new Int32Array(0);
  private split = new Int32Array(0);
  private pushed = new Int32Array(0);
  /** Slot the next close goes to (`pushed % window`, kept without a division). */
  private nextSlot = new Int32Array(0);
  private instrumentCapacity = 0;
  /** Row stride of the time-major per-slot arrays. */
  private stride = 0;

  /** Closes looked back, the current one included; nothing ahead. */
  readonly lookBack: number;
  readonly lookForward = 0;

  constructor(readonly window: number) {
    this.lookBack = window;
  }

  ensureInstruments(needed: number): void {
    if (needed <= this.instrumentCapacity) return;
    const capacity = nextCapacity(this.instrumentCapacity, needed);
    const w = this.window;
    const stride = paddedStride(capacity);
    this.closes = regrowTimeMajor(this.closes, w, this.stride, stride, 0);
    this.suffixMax = regrowTimeMajor(this.suffixMax, w, this.stride, stride, 0);
    this.suffixMdd = regrowTimeMajor(this.suffixMdd, w, this.stride, stride, 0);
    this.stride = stride;
    this.backMax = growFloat64(this.backMax, capacity);
    this.backMin = growFloat64(this.backMin, capacity);
    this.backMdd = growFloat64(this.backMdd, capacity);
    this.start = growInt32(this.start, capacity);
    this.split = growInt32(this.split, capacity);
    this.pushed = growInt32(this.pushed, capacity);
    this.nextSlot = growInt32(this.nextSlot, capacity);
    this.instrumentCapacity = capacity;
  }

  push(instrument: number, close: number): void {
    const w = this.window;
    const seq = this.pushed[instrument];
    if (seq - this.start[instrument] === w) this.evictOldest(instrument);
    const slot = this.nextSlot[instrument];
    this.closes[slot * this.stride + instrument] = close;
    this.nextSlot[instrument] = slot + 1 === w ? 0 : slot + 1;
    if (seq === this.split[instrument]) {
      this.backMax[instrument] = close;
      this.backMin[instrument] = close;
      this.backMdd[instrument] = 0;
    } else {
      const bMax = this.backMax[instrument];
      const drawdown = close / bMax - 1;
      if (close > bMax) this.backMax[instrument] = close;
      if (close < this.backMin[instrument]) this.backMin[instrument] = close;
      if (drawdown < this.backMdd[instrument]) this.backMdd[instrument] = drawdown;
    }
    this.pushed[instrument] = seq + 1;
  }

  /** Drawdown of the whole window; NaN when empty. */
  value(instrument: number): number {
    const start = this.start[instrument];
    const split = this.split[instrument];
    const pushed = this.pushed[instrument];
    if (pushed === start) return NaN;
    if (start === split) return this.backMdd[instrument];
    // The older block is non-empty only once the window has been full, so its
    // first close sits in the slot the next close will overwrite.
    const slot = this.nextSlot[instrument] * this.stride + instrument;
    const olderMdd = this.suffixMdd[slot];
    if (split === pushed) return olderMdd;
    const across = this.backMin[instrument] / this.suffixMax[slot] - 1;
    const newerMdd = this.backMdd[instrument];
    let mdd = olderMdd < newerMdd ? olderMdd : newerMdd;
    if (across < mdd) mdd = across;
    return mdd;
  }

  private evictOldest(instrument: number): void {
    const w = this.window;
    const stride = this.stride;
    const start = this.start[instrument];
    const pushed = this.pushed[instrument];
    if (start === this.split[instrument]) {
      // Fold the newer block into suffix aggregates, newest first.
      let max = -Infinity;
      let min = Infinity;
      let mdd = 0;
      let ringSlot = this.nextSlot[instrument];
      for (let seq = pushed - 1; seq >= start; seq--) {
        ringSlot = ringSlot === 0 ? w - 1 : ringSlot - 1;
        const slot = ringSlot * stride + instrument;
        const close = this.closes[slot];
        // merge(single(close), suffix): the single close is the older side.
        const across = min / close - 1;
        if (across < mdd) mdd = across;
        if (close > max) max = close;
        if (close < min) min = close;
        this.suffixMax[slot] = max;
        this.suffixMdd[slot] = mdd;
      }
      this.split[instrument] = pushed;
    }
    this.start[instrument] = start + 1;
  }
}
