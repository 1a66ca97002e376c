import { InputError } from '@alphafeed/core';
import { CarryForward } from '@alphafeed/features';
import type { CarryRows } from '@alphafeed/features';
import { resolveLabelOptions } from './label.options';
import type { LabelOptions } from './label.options';

/** The bars a label needs: one closed date, columnar, any instrument order. */
export interface LabelBars {
  readonly length: number;
  readonly instrument: Int32Array;
  /** Industry id of each bar, as of that date. */
  readonly industry: Int32Array;
  readonly close: Float64Array;
}

/**
 * Labels of horizon `horizon` that matured at this close: the rows of
 * calendar position `dateIndex` (= closed date - horizon), in the same order
 * as that date's `rows`. Views valid until the next `closeDate`.
 */
export interface LabelRelease {
  readonly horizon: number;
  readonly dateIndex: number;
  readonly length: number;
  readonly instrument: Int32Array;
  readonly carried: Uint8Array;
  /** Return units; NaN when the instrument has no bar on the closed date. */
  readonly values: Float64Array;
}

/** What one `closeDate` returns; every array is a view valid until the next call. */
export interface LabelStep {
  /** The closed date's rows after carry-forward; their labels are not known yet. */
  readonly rows: CarryRows;
  /** One release per horizon whose origin date exists (none in the first k dates). */
  readonly released: readonly LabelRelease[];
}

/** Labels use no bar before t: the origin's own cumulative sum is the base. */
export const LABEL_LOOK_BACK = 0;

/**
 * Industry-relative forward returns (SPEC §4), incrementally.
 *
 * Per instrument it keeps `C_i(d)`, the Neumaier-compensated cumulative sum of
 * `r_{i,d} - R_{g,d}` over calendar positions from its first bar (0 on that
 * bar; gap days add `0 - R_g` with g the industry at the last bar), and a ring
 * of the last `max(k) + 1` values. Then
 * `label_k(i, t) = C_i(t + k) - C_i(t)`, released exactly at the close of
 * `t + k` (maturity) and NaN if the instrument has no bar on `t + k`.
 *
 * Cost per date: O(bars + instruments seen + released rows); memory
 * O(instruments * max(k)) plus the row lists of the last max(k) dates.
 */
export class LabelEngine {
  readonly options: LabelOptions;
  readonly horizons: readonly number[];
  /** Calendar positions a label looks forward: the longest horizon. */
  readonly lookForward: number;
  readonly lookBack = LABEL_LOOK_BACK;

  private readonly ringSize: number;
  private readonly carry: CarryForward;
  private instrumentCapacity = 0;
  private instrumentsSeen = 0;
  private previousClose = new Float64Array(0);
  private lastIndustry = new Int32Array(0);
  /** Calendar position of the last bar, -1 before the first. */
  private lastBar = new Int32Array(0);
  /** Call stamp at which each instrument was last seen (duplicate check; a rejected call leaves no trace). */
  private seenOn = new Int32Array(0);
  private callStamp = 0;
  private cumulative = new Float64Array(0);
  private compensation = new Float64Array(0);
  /** `C` (sum and compensation) at the last `ringSize` positions, slot `i * ringSize + d % ringSize`. */
  private cumulativeRing = new Float64Array(0);
  private compensationRing = new Float64Array(0);
  private barReturn = new Float64Array(0);
  private industrySum = new Float64Array(0);
  private industryCount = new Int32Array(0);
  private industryMean = new Float64Array(0);

  private readonly rowInstrument: Int32Array[] = [];
  private readonly rowCarried: Uint8Array[] = [];
  private readonly rowLength: Int32Array;
  private readonly releaseValues: Float64Array[];
  private firstDate = -1;
  private lastDate = -1;

  constructor(options: Partial<LabelOptions> = {}) {
    this.options = resolveLabelOptions(options);
    this.horizons = this.options.horizons;
    this.lookForward = Math.max(...this.horizons);
    this.ringSize = this.lookForward + 1;
    this.carry = new CarryForward(this.options.ffillLimit, this.options.membership);
    for (let s = 0; s < this.ringSize; s++) {
      this.rowInstrument.push(new Int32Array(0));
      this.rowCarried.push(new Uint8Array(0));
    }
    this.rowLength = new Int32Array(this.ringSize);
    this.releaseValues = this.horizons.map(() => new Float64Array(0));
  }

  closeDate(dateIndex: number, bars: LabelBars): LabelStep {
    if (
      !Number.isInteger(dateIndex) ||
      dateIndex < 0 ||
      (this.lastDate >= 0 && dateIndex !== this.lastDate + 1)
    ) {
      throw new RangeError(
        `closeDate needs the next calendar position: got ${dateIndex} after ${this.lastDate}; dates are fed in calendar order, once each`,
      );
    }
    this.validate(dateIndex, bars);
    if (this.firstDate < 0) this.firstDate = dateIndex;
    this.lastDate = dateIndex;
    const n = bars.length;
    this.industryReturns(dateIndex, bars);
    const mean = this.industryMean;
    for (let b = 0; b < n; b++) {
      const i = bars.instrument[b];
      if (this.lastBar[i] < 0) {
        this.cumulative[i] = 0;
        this.compensation[i] = 0;
      } else {
        this.accumulate(i, this.barReturn[b] - mean[bars.industry[b]]);
      }
      this.lastBar[i] = dateIndex;
      this.lastIndustry[i] = bars.industry[b];
    }
    const slot = dateIndex % this.ringSize;
    for (let i = 0; i < this.instrumentsSeen; i++) {
      const last = this.lastBar[i];
      if (last < 0) continue;
      // A gap day: the instrument's own move arrives on its resume date; the industry's is booked now.
      if (last !== dateIndex) this.accumulate(i, -mean[this.lastIndustry[i]]);
      this.cumulativeRing[i * this.ringSize + slot] = this.cumulative[i];
      this.compensationRing[i * this.ringSize + slot] = this.compensation[i];
    }
    const rows = this.carry.step(dateIndex, bars.instrument, n);
    this.keepRows(slot, rows);
    return { rows, released: this.release(dateIndex) };
  }

  /** R_{g,d}: mean return of the date's members' bars with a return, per industry; 0 if none. */
  private industryReturns(dateIndex: number, bars: LabelBars): void {
    const n = bars.length;
    const membership = this.options.membership;
    let maxIndustry = -1;
    for (let b = 0; b < n; b++) if (bars.industry[b] > maxIndustry) maxIndustry = bars.industry[b];
    if (this.industrySum.length <= maxIndustry) {
      const capacity = Math.max(2 * this.industrySum.length, maxIndustry + 1);
      const oldMean = this.industryMean;
      this.industrySum = new Float64Array(capacity);
      this.industryCount = new Int32Array(capacity);
      this.industryMean = new Float64Array(capacity);
      this.industryMean.set(oldMean);
    }
    this.industrySum.fill(0);
    this.industryCount.fill(0);
    if (this.barReturn.length < n) this.barReturn = new Float64Array(Math.max(n, 2 * this.barReturn.length));
    for (let b = 0; b < n; b++) {
      const i = bars.instrument[b];
      const previous = this.previousClose[i];
      const r = previous === previous ? bars.close[b] / previous - 1 : NaN;
      this.barReturn[b] = r;
      this.previousClose[i] = bars.close[b];
      if (r === r && (membership === null || membership.isMember(i, dateIndex))) {
        this.industrySum[bars.industry[b]] += r;
        this.industryCount[bars.industry[b]]++;
      }
    }
    for (let g = 0; g < this.industryMean.length; g++) {
      const count = this.industryCount[g];
      this.industryMean[g] = count > 0 ? this.industrySum[g] / count : 0;
    }
  }

  private release(dateIndex: number): LabelRelease[] {
    const released: LabelRelease[] = [];
    const size = this.ringSize;
    const nowSlot = dateIndex % size;
    for (let h = 0; h < this.horizons.length; h++) {
      const k = this.horizons[h];
      const origin = dateIndex - k;
      if (origin < this.firstDate) continue;
      const slot = origin % size;
      const length = this.rowLength[slot];
      const instruments = this.rowInstrument[slot];
      if (this.releaseValues[h].length < length)
        this.releaseValues[h] = new Float64Array(Math.max(length, 2 * this.releaseValues[h].length));
      const values = this.releaseValues[h];
      for (let r = 0; r < length; r++) {
        const i = instruments[r];
        if (this.lastBar[i] !== dateIndex) {
          values[r] = NaN;
          continue;
        }
        const now = i * size + nowSlot;
        const then = i * size + slot;
        values[r] =
          this.cumulativeRing[now] -
          this.cumulativeRing[then] +
          (this.compensationRing[now] - this.compensationRing[then]);
      }
      released.push({
        horizon: k,
        dateIndex: origin,
        length,
        instrument: instruments.subarray(0, length),
        carried: this.rowCarried[slot].subarray(0, length),
        values: values.subarray(0, length),
      });
    }
    return released;
  }

  private keepRows(slot: number, rows: CarryRows): void {
    if (this.rowInstrument[slot].length < rows.length) {
      const capacity = Math.max(rows.length, 2 * this.rowInstrument[slot].length);
      this.rowInstrument[slot] = new Int32Array(capacity);
      this.rowCarried[slot] = new Uint8Array(capacity);
    }
    this.rowInstrument[slot].set(rows.instrument);
    this.rowCarried[slot].set(rows.carried);
    this.rowLength[slot] = rows.length;
  }

  private accumulate(i: number, value: number): void {
    const s = this.cumulative[i];
    const t = s + value;
    if (Math.abs(s) >= Math.abs(value)) this.compensation[i] += s - t + value;
    else this.compensation[i] += value - t + s;
    this.cumulative[i] = t;
  }

  private validate(dateIndex: number, bars: LabelBars): void {
    const n = bars.length;
    if (bars.instrument.length < n || bars.industry.length < n || bars.close.length < n) {
      throw new InputError(
        `bars on date ${dateIndex} have columns shorter than length ${n}; give one value per bar`,
      );
    }
    let maxInstrument = -1;
    for (let b = 0; b < n; b++) {
      const i = bars.instrument[b];
      if (!(i >= 0))
        throw new InputError(
          `instrument id ${i} on date ${dateIndex} is negative; ids index a dictionary from 0`,
        );
      if (i > maxInstrument) maxInstrument = i;
      if (bars.industry[b] < 0) {
        throw new InputError(
          `industry id ${bars.industry[b]} of instrument ${i} on date ${dateIndex} is negative; every bar needs an industry`,
        );
      }
      const close = bars.close[b];
      if (!(close > 0 && close < Infinity)) {
        throw new InputError(
          `close ${close} of instrument ${i} on date ${dateIndex} is not a positive finite price; fix or drop the bar`,
        );
      }
    }
    this.ensureInstruments(maxInstrument + 1);
    const stamp = ++this.callStamp;
    for (let b = 0; b < n; b++) {
      const i = bars.instrument[b];
      if (this.seenOn[i] === stamp) {
        throw new InputError(
          `instrument ${i} has two bars on date ${dateIndex}; deduplicate the input (one bar per instrument and date)`,
        );
      }
      this.seenOn[i] = stamp;
    }
  }

  private ensureInstruments(needed: number): void {
    if (needed > this.instrumentsSeen) this.instrumentsSeen = needed;
    if (needed <= this.instrumentCapacity) return;
    let capacity = Math.max(16, this.instrumentCapacity);
    while (capacity < needed) capacity *= 2;
    this.previousClose = grownFloat64(this.previousClose, capacity, NaN);
    this.cumulative = grownFloat64(this.cumulative, capacity, 0);
    this.compensation = grownFloat64(this.compensation, capacity, 0);
    this.cumulativeRing = grownFloat64(this.cumulativeRing, capacity * this.ringSize, 0);
    this.compensationRing = grownFloat64(this.compensationRing, capacity * this.ringSize, 0);
    this.lastIndustry = grownInt32(this.lastIndustry, capacity, 0);
    this.lastBar = grownInt32(this.lastBar, capacity, -1);
    this.seenOn = grownInt32(this.seenOn, capacity, 0);
    this.instrumentCapacity = capacity;
  }
}

/** Doubling growth of per-instrument state: O(final size) copies over a run. */
function grownFloat64(old: Float64Array, length: number, fill: number): Float64Array<ArrayBuffer> {
  const next = new Float64Array(length);
  if (fill !== 0) next.fill(fill, old.length);
  next.set(old);
  return next;
}

function grownInt32(old: Int32Array, length: number, fill: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(length);
  if (fill !== 0) next.fill(fill, old.length);
  next.set(old);
  return next;
}
