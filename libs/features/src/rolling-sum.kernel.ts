import { growFloat64, growInt32 } from './typed-growth';

/**
 * A rolling sum per instrument, updated by adding the entering value and
 * removing the leaving one (the caller reads it from its ring): O(1) per bar
 * instead of an O(window) re-scan. Neumaier compensation keeps the drift of
 * long add/remove chains at a few ulps of the window's magnitude.
 *
 * Two counts make the zero and NaN cases exact tests on the data (SPEC:
 * "zero tests are exact tests on the data, never on floating-point residue of
 * a rolling sum"): a window whose values are all 0 sums to exactly 0, and a
 * window holding a NaN sums to NaN.
 */
export class RollingSumKernel {
  private sum = new Float64Array(0);
  private compensation = new Float64Array(0);
  private nonZero = new Int32Array(0);
  private nanCount = new Int32Array(0);
  private instrumentCapacity = 0;

  ensureInstruments(capacity: number): void {
    if (capacity <= this.instrumentCapacity) return;
    this.sum = growFloat64(this.sum, capacity);
    this.compensation = growFloat64(this.compensation, capacity);
    this.nonZero = growInt32(this.nonZero, capacity);
    this.nanCount = growInt32(this.nanCount, capacity);
    this.instrumentCapacity = capacity;
  }

  add(instrument: number, value: number): void {
    if (value !== value) {
      this.nanCount[instrument]++;
      return;
    }
    if (value === 0) return;
    this.nonZero[instrument]++;
    this.accumulate(instrument, value);
  }

  remove(instrument: number, value: number): void {
    if (value !== value) {
      this.nanCount[instrument]--;
      return;
    }
    if (value === 0) return;
    if (--this.nonZero[instrument] === 0) {
      // The window holds only zeros now: restart from an exact 0, dropping residue.
      this.sum[instrument] = 0;
      this.compensation[instrument] = 0;
      return;
    }
    this.accumulate(instrument, -value);
  }

  /** Sum of the window; exactly 0 if every value is 0, NaN if any is NaN. */
  value(instrument: number): number {
    if (this.nanCount[instrument] > 0) return NaN;
    if (this.nonZero[instrument] === 0) return 0;
    return this.sum[instrument] + this.compensation[instrument];
  }

  /** Count of non-zero, non-NaN values in the window. */
  nonZeroCount(instrument: number): number {
    return this.nonZero[instrument];
  }

  private accumulate(instrument: number, value: number): void {
    const s = this.sum[instrument];
    const t = s + value;
    if (Math.abs(s) >= Math.abs(value)) this.compensation[instrument] += s - t + value;
    else this.compensation[instrument] += value - t + s;
    this.sum[instrument] = t;
  }
}
