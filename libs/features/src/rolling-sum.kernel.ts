import { growFloat64, growInt32, nextCapacity } from './typed-growth';

/**
 * A bank of rolling sums, `windows` of them per instrument, each updated by
 * adding the entering value and removing the leaving one (the caller reads it
 * from its ring): O(1) per bar instead of an O(window) re-scan. Neumaier
 * compensation keeps the drift of long add/remove chains at a few ulps of the
 * window's magnitude. An instrument's sums sit side by side (instrument-major),
 * so one bar touches a few adjacent cache lines whatever the number of sums.
 *
 * Two counts make the zero and NaN cases exact tests on the data (SPEC:
 * "zero tests are exact tests on the data, never on floating-point residue of
 * a rolling sum"): a window whose values are all 0 sums to exactly 0, and a
 * window holding a NaN sums to NaN.
 */
export class RollingSumKernel {
  /** Per (instrument, sum): running sum then compensation. */
  private sums = new Float64Array(0);
  /** Per (instrument, sum): count of non-zero values then count of NaNs. */
  private counts = new Int32Array(0);
  private instrumentCapacity = 0;

  constructor(readonly windows = 1) {}

  ensureInstruments(needed: number): void {
    if (needed <= this.instrumentCapacity) return;
    const capacity = nextCapacity(this.instrumentCapacity, needed);
    this.sums = growFloat64(this.sums, capacity * this.windows * 2);
    this.counts = growInt32(this.counts, capacity * this.windows * 2);
    this.instrumentCapacity = capacity;
  }

  add(instrument: number, sum: number, value: number): void {
    const at = (instrument * this.windows + sum) * 2;
    if (value !== value) {
      this.counts[at + 1]++;
      return;
    }
    if (value === 0) return;
    this.counts[at]++;
    this.accumulate(at, value);
  }

  remove(instrument: number, sum: number, value: number): void {
    const at = (instrument * this.windows + sum) * 2;
    if (value !== value) {
      this.counts[at + 1]--;
      return;
    }
    if (value === 0) return;
    if (--this.counts[at] === 0) {
      // The window holds only zeros now: restart from an exact 0, dropping residue.
      this.sums[at] = 0;
      this.sums[at + 1] = 0;
      return;
    }
    this.accumulate(at, -value);
  }

  /**
   * `add(entering)` then `remove(leaving)` in one call: the steady-state step
   * of a full window. One compensated update with the difference instead of
   * two, which also halves the calls on the per-bar hot path.
   */
  slide(instrument: number, sum: number, entering: number, leaving: number): void {
    const at = (instrument * this.windows + sum) * 2;
    const counts = this.counts;
    let delta = 0;
    if (entering !== entering) counts[at + 1]++;
    else if (entering !== 0) {
      counts[at]++;
      delta = entering;
    }
    if (leaving !== leaving) counts[at + 1]--;
    else if (leaving !== 0) {
      counts[at]--;
      delta -= leaving;
    }
    if (counts[at] === 0) {
      // The window holds only zeros (or NaNs) now: restart from an exact 0, dropping residue.
      this.sums[at] = 0;
      this.sums[at + 1] = 0;
      return;
    }
    if (delta !== 0) this.accumulate(at, delta);
  }

  /** Sum of the window; exactly 0 if every value is 0, NaN if any is NaN. */
  value(instrument: number, sum: number): number {
    const at = (instrument * this.windows + sum) * 2;
    if (this.counts[at + 1] > 0) return NaN;
    if (this.counts[at] === 0) return 0;
    return this.sums[at] + this.sums[at + 1];
  }

  /** Count of non-zero, non-NaN values in the window. */
  nonZeroCount(instrument: number, sum: number): number {
    return this.counts[(instrument * this.windows + sum) * 2];
  }

  private accumulate(at: number, value: number): void {
    const s = this.sums[at];
    const t = s + value;
    if (Math.abs(s) >= Math.abs(value)) this.sums[at + 1] += s - t + value;
    else this.sums[at + 1] += value - t + s;
    this.sums[at] = t;
  }
}
