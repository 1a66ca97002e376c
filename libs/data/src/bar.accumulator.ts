import { formatIsoDay, InputError } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import type { BarAdmission, BarRecord } from './bar-admission';
import { ChunkedFloat64, ChunkedInt32 } from './chunked-column';
import type { RejectLog } from './rejects';

export interface AccumulatorOptions {
  readonly hasAmount: boolean;
  readonly hasSharesOut: boolean;
  /** The load's admission: its dictionaries name the instrument and industry ids. */
  readonly admission: BarAdmission;
  readonly rejects: RejectLog;
}

/**
 * Collects admitted bars from any source in arrival order, then builds the
 * sorted BarPanel, with duplicate detection (the first row of a (date,
 * instrument) key wins). Checks, the factor and industries are the
 * admission's (`BarAdmission`), whose dictionaries it uses.
 */
export class BarAccumulator {
  /** Day of the instrument's previous accepted row: catches duplicates of sorted input at once, with their raw text. */
  private lastDay = new Float64Array(64).fill(NaN);

  private readonly day = new ChunkedInt32();
  private readonly inst = new ChunkedInt32();
  private readonly industry = new ChunkedInt32();
  private readonly line = new ChunkedInt32();
  private readonly open = new ChunkedFloat64();
  private readonly high = new ChunkedFloat64();
  private readonly low = new ChunkedFloat64();
  private readonly close = new ChunkedFloat64();
  private readonly volume = new ChunkedFloat64();
  private readonly amount: ChunkedFloat64 | null;
  private readonly sharesOut: ChunkedFloat64 | null;

  constructor(private readonly options: AccumulatorOptions) {
    this.amount = options.hasAmount ? new ChunkedFloat64() : null;
    this.sharesOut = options.hasSharesOut ? new ChunkedFloat64() : null;
  }

  get rejects(): RejectLog {
    return this.options.rejects;
  }

  /**
   * True when the instrument's previous accepted row has the same day: the
   * caller rejects it as `duplicate_key` with its raw text. (Repeats that are
   * not adjacent in the input are found when sorting, in `finish`.)
   */
  isRepeat(instId: number, day: number): boolean {
    return instId < this.lastDay.length && this.lastDay[instId] === day;
  }

  /** Appends an admitted (checked, adjusted, industry resolved) bar. */
  append(line: number, bar: BarRecord): void {
    const instId = bar.instrument;
    if (instId >= this.lastDay.length) {
      const grown = new Float64Array(Math.max(2 * this.lastDay.length, instId + 1)).fill(NaN);
      grown.set(this.lastDay);
      this.lastDay = grown;
    }
    this.lastDay[instId] = bar.day;
    this.line.push(line);
    this.day.push(bar.day);
    this.inst.push(instId);
    this.industry.push(bar.industry);
    this.open.push(bar.open);
    this.high.push(bar.high);
    this.low.push(bar.low);
    this.close.push(bar.close);
    this.volume.push(bar.volume);
    if (this.amount !== null) this.amount.push(bar.amount);
    if (this.sharesOut !== null) this.sharesOut.push(bar.sharesOut);
  }

  get length(): number {
    return this.day.length;
  }

  /**
   * Sorts rows by (date, instrument) with a stable two-pass counting sort
   * (O(n), no comparator), rejects later rows of a repeated key, and gathers
   * each column into its final array, freeing its chunks as it goes so the
   * peak is the chunks plus one output column.
   */
  finish(): BarPanel {
    const n = this.day.length;
    const days = this.day.toArray();
    const insts = this.inst.toArray();
    this.day.release();
    this.inst.release();

    // Calendar: sorted union of days, through a presence map over the day range.
    let minDay = Infinity;
    let maxDay = -Infinity;
    for (let i = 0; i < n; i++) {
      const d = days[i];
      if (d < minDay) minDay = d;
      if (d > maxDay) maxDay = d;
    }
    const span = n === 0 ? 0 : maxDay - minDay + 1;
    const dayToIndex = new Int32Array(span).fill(-1);
    for (let i = 0; i < n; i++) dayToIndex[days[i] - minDay] = 0;
    const calendar: string[] = [];
    for (let d = 0; d < span; d++) {
      if (dayToIndex[d] === 0) {
        dayToIndex[d] = calendar.length;
        calendar.push(formatIsoDay(minDay + d));
      }
    }
    const nDates = calendar.length;
    const dateIdx = days; // reused in place: day -> calendar position
    for (let i = 0; i < n; i++) dateIdx[i] = dayToIndex[days[i] - minDay];

    // Instruments with at least one accepted row, sorted by code unit order (as Python sorts str).
    const names = this.options.admission.instruments;
    const seen = new Uint8Array(names.length);
    for (let i = 0; i < n; i++) seen[insts[i]] = 1;
    const byName = names
      .map((_, i) => i)
      .filter((i) => seen[i] === 1)
      .sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const rank = new Int32Array(names.length).fill(-1);
    for (let r = 0; r < byName.length; r++) rank[byName[r]] = r;
    for (let i = 0; i < n; i++) insts[i] = rank[insts[i]];
    const nInst = byName.length;

    let sorted = true;
    for (let i = 1; i < n && sorted; i++) {
      const a = dateIdx[i - 1];
      const b = dateIdx[i];
      if (b < a || (b === a && insts[i] <= insts[i - 1])) sorted = false;
    }
    let order: Int32Array | null = null;
    if (!sorted) {
      const byInst = countingSort(insts, nInst, null);
      const byDate = countingSort(dateIdx, nDates, byInst);
      // Drop later rows of a repeated key (stable sort: the earliest arrival comes first).
      let kept = 0;
      for (let k = 0; k < n; k++) {
        const i = byDate[k];
        if (k > 0) {
          const j = byDate[k - 1];
          if (dateIdx[i] === dateIdx[j] && insts[i] === insts[j]) {
            this.rejectDuplicate(i, calendar[dateIdx[i]], names[byName[insts[i]]]);
            continue;
          }
        }
        byDate[kept++] = i;
      }
      order = kept === n ? byDate : byDate.slice(0, kept);
    }
    const length = order === null ? n : order.length;

    const date = gatherInt(dateIdx, order);
    const instrument = gatherInt(insts, order);
    const industryRaw = this.industry.toArray();
    this.industry.release();
    const industryGathered = gatherInt(industryRaw, order);
    // Industries: only those used, sorted.
    const industryNames = this.options.admission.industries;
    const used = new Uint8Array(industryNames.length);
    for (let i = 0; i < length; i++) used[industryGathered[i]] = 1;
    const industries = industryNames.filter((_, k) => used[k] === 1).sort();
    const industryRank = new Int32Array(industryNames.length).fill(-1);
    for (let k = 0; k < industryNames.length; k++) {
      if (used[k] === 1) industryRank[k] = industries.indexOf(industryNames[k]);
    }
    for (let i = 0; i < length; i++) industryGathered[i] = industryRank[industryGathered[i]];
    this.line.release();

    return {
      calendar,
      instruments: byName.map((i) => names[i]),
      industries,
      length,
      date,
      instrument,
      industry: industryGathered,
      open: this.open.gatherAndRelease(order),
      high: this.high.gatherAndRelease(order),
      low: this.low.gatherAndRelease(order),
      close: this.close.gatherAndRelease(order),
      volume: this.volume.gatherAndRelease(order),
      amount: this.amount === null ? null : this.amount.gatherAndRelease(order),
      sharesOut: this.sharesOut === null ? null : this.sharesOut.gatherAndRelease(order),
    };
  }

  /** A duplicate found only after sorting: its raw text is gone, so the stored values are written back. */
  private rejectDuplicate(row: number, date: string, instrument: string): void {
    const values = [this.open, this.high, this.low, this.close, this.volume].map((c) => c.get(row));
    this.options.rejects.add(
      this.line.get(row),
      'duplicate_key',
      `${date},${instrument},${values.join(',')}`,
    );
  }
}

/** Stable counting sort of `order` (or 0..n-1) by `keys[i]` in [0, buckets). */
function countingSort(keys: Int32Array, buckets: number, order: Int32Array | null): Int32Array {
  const n = keys.length;
  const start = new Int32Array(buckets + 1);
  for (let i = 0; i < n; i++) start[keys[i] + 1]++;
  for (let b = 0; b < buckets; b++) start[b + 1] += start[b];
  const out = new Int32Array(n);
  if (order === null) {
    for (let i = 0; i < n; i++) out[start[keys[i]]++] = i;
  } else {
    for (let k = 0; k < n; k++) {
      const i = order[k];
      out[start[keys[i]]++] = i;
    }
  }
  return out;
}

function gatherInt(values: Int32Array, order: Int32Array | null): Int32Array {
  if (order === null) return values;
  const out = new Int32Array(order.length);
  for (let k = 0; k < order.length; k++) out[k] = values[order[k]];
  return out;
}

/** The InputError for a source that yields no accepted bar at all. */
export function emptyPanelError(source: string, rowsRead: number): InputError {
  return new InputError(
    `${source}: no bar was accepted out of ${rowsRead} rows read; check the file and the rejects file`,
  );
}
