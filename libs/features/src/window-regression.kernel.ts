import { paddedStride, regrowTimeMajor } from './instrument-ring';
import { growFloat64, growInt32, nextCapacity } from './typed-growth';

/**
 * OLS slope with intercept (cov / var) of y on x over the last `window`
 * pairs per instrument (SPEC `beta_252`: y = the instrument's return, x = the
 * equal-weighted universe mean return of the same date).
 *
 * Four compensated running sums make an update O(1). When the x-variance is
 * within cancellation noise of the sums (numerator below 1e-6 of sum x^2) the
 * slope is recomputed exactly with two passes over the window, and an x side
 * whose values are all equal gives NaN: the zero-variance test is a test on
 * the data, not on the residue of a running sum. Cost of that branch:
 * O(window), taken only on (near) constant markets. The pair rings are
 * time-major (see `InstrumentRing`) for sequential access across a date.
 *
 * A push with x = NaN takes a slot of the window but is no pair (SPEC §1
 * with a membership table: a bar on a date where no member has a return has
 * no market side); `pairCount` counts the real pairs in the window.
 */
export class WindowRegressionKernel {
  /** Time-major pair ring: x then y, side by side, so dropping the oldest pair reads one cache line. */
  private pairs = new Float64Array(0);
  private sums = new Float64Array(0);
  private pushed = new Int32Array(0);
  /** Real pairs (x not NaN) among the window's slots. */
  private valid = new Int32Array(0);
  /** Slot of the latest pair per instrument. */
  private head = new Int32Array(0);
  private instrumentCapacity = 0;
  /** Row stride of the time-major pair rings. */
  private stride = 0;

  /** Per instrument: sum x, sum y, sum xy, sum xx, then their compensations. */
  private static readonly SUMS = 8;

  /** Pairs looked back, the current one included; nothing ahead. */
  readonly lookBack: number;
  readonly lookForward = 0;

  constructor(
    readonly window: number,
    readonly minPairs: number,
  ) {
    this.lookBack = window;
  }

  ensureInstruments(needed: number): void {
    if (needed <= this.instrumentCapacity) return;
    const capacity = nextCapacity(this.instrumentCapacity, needed);
    const stride = paddedStride(2 * capacity);
    this.pairs = regrowTimeMajor(this.pairs, this.window, this.stride, stride, 0);
    this.stride = stride;
    this.head = growInt32(this.head, capacity, this.window - 1);
    this.sums = growFloat64(this.sums, capacity * WindowRegressionKernel.SUMS);
    this.pushed = growInt32(this.pushed, capacity);
    this.valid = growInt32(this.valid, capacity);
    this.instrumentCapacity = capacity;
  }

  push(instrument: number, x: number, y: number): void {
    const w = this.window;
    const seq = this.pushed[instrument];
    let next = this.head[instrument] + 1;
    if (next === w) next = 0;
    this.head[instrument] = next;
    const slot = next * this.stride + 2 * instrument;
    const base = instrument * WindowRegressionKernel.SUMS;
    if (seq >= w) {
      const oldX = this.pairs[slot];
      const oldY = this.pairs[slot + 1];
      if (oldX === oldX) {
        this.accumulate(base, -oldX);
        this.accumulate(base + 1, -oldY);
        this.accumulate(base + 2, -oldX * oldY);
        this.accumulate(base + 3, -oldX * oldX);
        this.valid[instrument]--;
      }
    }
    this.pairs[slot] = x;
    this.pairs[slot + 1] = y;
    if (x === x) {
      this.accumulate(base, x);
      this.accumulate(base + 1, y);
      this.accumulate(base + 2, x * y);
      this.accumulate(base + 3, x * x);
      this.valid[instrument]++;
    }
    this.pushed[instrument] = seq + 1;
  }

  /** Real pairs in the window (at most `window`). */
  pairCount(instrument: number): number {
    return this.valid[instrument];
  }

  /** Slope of y on x; NaN with fewer than `minPairs` pairs or a constant x. */
  slope(instrument: number): number {
    const n = this.pairCount(instrument);
    if (n < this.minPairs) return NaN;
    const base = instrument * WindowRegressionKernel.SUMS;
    const s = this.sums;
    const sx = s[base] + s[base + 4];
    const sy = s[base + 1] + s[base + 5];
    const sxy = s[base + 2] + s[base + 6];
    const sxx = s[base + 3] + s[base + 7];
    const varNumerator = sxx - (sx * sx) / n;
    if (!(varNumerator > 1e-6 * sxx)) return this.exactSlope(instrument, n);
    return (sxy - (sx * sy) / n) / varNumerator;
  }

  /** Two passes over the window's slots, newest first, skipping slots without a pair. */
  private exactSlope(instrument: number, n: number): number {
    const w = this.window;
    const stride = this.stride;
    const head = this.head[instrument];
    const seq = this.pushed[instrument];
    const slots = seq < w ? seq : w;
    let meanX = 0;
    let meanY = 0;
    let x0 = NaN;
    let constantX = true;
    for (let lag = 0; lag < slots; lag++) {
      const slot = (head - lag < 0 ? head - lag + w : head - lag) * stride + 2 * instrument;
      const x = this.pairs[slot];
      if (x !== x) continue;
      if (x0 !== x0) x0 = x;
      else if (x !== x0) constantX = false;
      meanX += x;
      meanY += this.pairs[slot + 1];
    }
    if (constantX) return NaN;
    meanX /= n;
    meanY /= n;
    let cov = 0;
    let varX = 0;
    for (let lag = 0; lag < slots; lag++) {
      const slot = (head - lag < 0 ? head - lag + w : head - lag) * stride + 2 * instrument;
      const x = this.pairs[slot];
      if (x !== x) continue;
      const dx = x - meanX;
      cov += dx * (this.pairs[slot + 1] - meanY);
      varX += dx * dx;
    }
    return cov / varX;
  }

  private accumulate(index: number, value: number): void {
    const s = this.sums[index];
    const t = s + value;
    if (Math.abs(s) >= Math.abs(value)) this.sums[index + 4] += s - t + value;
    else this.sums[index + 4] += value - t + s;
    this.sums[index] = t;
  }
}
