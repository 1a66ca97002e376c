import type { MemberOracle } from '@alphafeed/core';
import { growInt32, nextCapacity } from './typed-growth';

/**
 * The row set after carry-forward (SPEC §2, "Missing bars"): on each calendar
 * date, every instrument with a bar has a real row, and every instrument whose
 * last bar is at most `limit` calendar positions back has a carried row
 * (`ffill(limit)`; a suspension and a delisting look the same on the day).
 * Features and labels both take their rows from here, so the two row sets
 * cannot drift apart.
 *
 * With a membership oracle (SPEC §1), a row exists on a date only for a
 * member of that date: a non-member's bar still counts as its last bar (its
 * history), but it gets no row, and carry-forward reaches only member dates.
 *
 * Cost per date: O(bars + instruments seen so far); rows come out sorted by
 * instrument id. The returned views are reused by the next `step`.
 */
export const DEFAULT_FFILL_LIMIT = 5;

export interface CarryRows {
  readonly dateIndex: number;
  readonly length: number;
  readonly instrument: Int32Array;
  /** 1 for a carried row, 0 for a row with a bar on this date. */
  readonly carried: Uint8Array;
}

export class CarryForward {
  /** Calendar position of each instrument's last bar; -1 before its first. */
  private lastBar = new Int32Array(0);
  private instrumentsSeen = 0;
  private rowInstrument = new Int32Array(0);
  private rowCarried = new Uint8Array(0);
  private lastDate = -1;

  constructor(
    readonly limit: number = DEFAULT_FFILL_LIMIT,
    private readonly membership: MemberOracle | null = null,
  ) {
    validateFfillLimit(limit);
  }

  /**
   * Records the bars of calendar position `dateIndex` (positions must be fed
   * consecutively) and returns that date's rows.
   */
  step(dateIndex: number, instruments: Int32Array, count: number): CarryRows {
    if (this.lastDate >= 0 && dateIndex !== this.lastDate + 1) {
      throw new RangeError(
        `carry-forward needs consecutive calendar positions: got ${dateIndex} after ${this.lastDate}; ` +
          'feed every date of the calendar, an empty one included',
      );
    }
    this.lastDate = dateIndex;
    for (let b = 0; b < count; b++) {
      const i = instruments[b];
      if (i >= this.instrumentsSeen) this.grow(i + 1);
      this.lastBar[i] = dateIndex;
    }
    if (this.rowInstrument.length < this.instrumentsSeen) {
      const capacity = nextCapacity(this.rowInstrument.length, this.instrumentsSeen);
      this.rowInstrument = new Int32Array(capacity);
      this.rowCarried = new Uint8Array(capacity);
    }
    let rows = 0;
    const oldest = dateIndex - this.limit;
    const membership = this.membership;
    for (let i = 0; i < this.instrumentsSeen; i++) {
      const last = this.lastBar[i];
      if (last < 0 || last < oldest) continue;
      if (membership !== null && !membership.isMember(i, dateIndex)) continue;
      this.rowInstrument[rows] = i;
      this.rowCarried[rows] = last === dateIndex ? 0 : 1;
      rows++;
    }
    return {
      dateIndex,
      length: rows,
      instrument: this.rowInstrument.subarray(0, rows),
      carried: this.rowCarried.subarray(0, rows),
    };
  }

  private grow(instruments: number): void {
    if (instruments > this.lastBar.length) {
      this.lastBar = growInt32(this.lastBar, nextCapacity(this.lastBar.length, instruments), -1);
    }
    this.instrumentsSeen = instruments;
  }
}

/**
 * Row offsets per calendar date after carry-forward for a date-sorted panel,
 * without membership: the rows of date d are `[offsets[d], offsets[d + 1])`
 * (with a membership oracle, an upper bound per date). Lets a batch run
 * allocate its output once. O(bars * limit).
 */
export function carriedRowOffsets(
  date: Int32Array,
  instrument: Int32Array,
  calendarLength: number,
  instrumentCount: number,
  limit: number = DEFAULT_FFILL_LIMIT,
): Int32Array {
  validateFfillLimit(limit);
  const counts = new Int32Array(calendarLength + 1);
  const lastBar = new Int32Array(instrumentCount).fill(-1);
  for (let b = 0; b < date.length; b++) {
    const d = date[b];
    const i = instrument[b];
    const last = lastBar[i];
    if (last >= 0) for (let c = last + 1; c < d && c <= last + limit; c++) counts[c + 1]++;
    counts[d + 1]++;
    lastBar[i] = d;
  }
  for (let i = 0; i < instrumentCount; i++) {
    const last = lastBar[i];
    if (last >= 0) for (let c = last + 1; c < calendarLength && c <= last + limit; c++) counts[c + 1]++;
  }
  for (let d = 0; d < calendarLength; d++) counts[d + 1] += counts[d];
  return counts;
}

export function validateFfillLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(
      `ffillLimit must be a non-negative integer number of calendar positions, got ${limit}; the SPEC uses 5`,
    );
  }
}
