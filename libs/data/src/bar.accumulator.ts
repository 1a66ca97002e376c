import { formatIsoDay, InputError } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { ChunkedFloat64, ChunkedInt32 } from './chunked-column';
import { findSpan, IndustryTable } from './industry.table';
import type { IndustrySpans } from './industry.table';
import type { RejectLog, RejectReason } from './rejects';

/**
 * Checks of one bar's numbers, in the order the reasons are reported. Values
 * are raw (before the factor). NaN stands for an empty cell. Amount and
 * shares_out may be NaN (missing value, kept as NaN) but not negative.
 */
export function checkBar(
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  amount: number,
  sharesOut: number,
  factor: number,
): RejectReason | null {
  if (
    !(open > 0 && high > 0 && low > 0 && close > 0) ||
    open === Infinity ||
    high === Infinity ||
    low === Infinity ||
    close === Infinity
  ) {
    return 'price_not_positive_finite';
  }
  if (high < low) return 'high_below_low';
  if (high < open || high < close || low > open || low > close) return 'ohlc_inconsistent';
  if (!(volume >= 0) || volume === Infinity) return 'volume_negative_or_nan';
  if (amount < 0 || sharesOut < 0) return 'amount_or_shares_out_negative';
  if (!(factor > 0) || factor === Infinity) return 'factor_not_positive_finite';
  return null;
}

export interface AccumulatorOptions {
  readonly hasAmount: boolean;
  readonly hasSharesOut: boolean;
  readonly industryTable: IndustryTable | null;
  readonly rejects: RejectLog;
}

/**
 * Collects accepted bars from any source in arrival order, then builds the
 * sorted BarPanel. Owns the instrument and industry dictionaries, the
 * industry resolution (bar column first, then the table as of the bar date)
 * and duplicate detection (the first row of a (date, instrument) key wins).
 */
export class BarAccumulator {
  private readonly instrumentIds = new Map<string, number>();
  private readonly instrumentNames: string[] = [];
  private readonly industryIds = new Map<string, number>();
  private readonly industryNames: string[] = [];
  /** Per instrument id: spans from the table (undefined = not looked up yet, null = unknown to the table). */
  private readonly tableSpans: (IndustrySpans | null)[] = [];
  /** Per instrument id, span position -> industry id. */
  private readonly tableSpanIds: Int32Array[] = [];
  /** Day of the instrument's previous accepted row: catches duplicates of sorted input at once, with their raw text. */
  private lastDay = new Float64Array(64);

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

  instrumentId(name: string): number {
    let id = this.instrumentIds.get(name);
    if (id === undefined) {
      id = this.instrumentNames.length;
      this.instrumentIds.set(name, id);
      this.instrumentNames.push(name);
      if (id >= this.lastDay.length) {
        const grown = new Float64Array(this.lastDay.length * 2);
        grown.set(this.lastDay);
        this.lastDay = grown;
      }
      this.lastDay[id] = NaN;
    }
    return id;
  }

  industryId(name: string): number {
    let id = this.industryIds.get(name);
    if (id === undefined) {
      id = this.industryNames.length;
      this.industryIds.set(name, id);
      this.industryNames.push(name);
    }
    return id;
  }

  /**
   * Industry id of a bar: its own column when non-empty (`barIndustry` >= 0),
   * else the table as of `day`; -1 when neither knows it.
   */
  resolveIndustry(instId: number, day: number, barIndustry: number): number {
    if (barIndustry >= 0) return barIndustry;
    const table = this.options.industryTable;
    if (table === null) return -1;
    let spans = this.tableSpans[instId];
    if (spans === undefined) {
      spans = table.spans(this.instrumentNames[instId]) ?? null;
      this.tableSpans[instId] = spans;
      if (spans !== null)
        this.tableSpanIds[instId] = Int32Array.from(spans.industries, (s) => this.industryId(s));
    }
    if (spans === null) return -1;
    const k = spans.starts.length === 1 && spans.starts[0] === -Infinity ? 0 : findSpan(spans, day);
    return k < 0 ? -1 : this.tableSpanIds[instId][k];
  }

  /**
   * Appends a checked, adjusted bar. Returns false (and does nothing) when the
   * instrument's previous row has the same day: the caller rejects it as
   * `duplicate_key` with its raw text.
   */
  isRepeat(instId: number, day: number): boolean {
    return this.lastDay[instId] === day;
  }

  append(
    line: number,
    day: number,
    instId: number,
    industryId: number,
    open: number,
    high: number,
    low: number,
    close: number,
    volume: number,
    amount: number,
    sharesOut: number,
  ): void {
    this.lastDay[instId] = day;
    this.line.push(line);
    this.day.push(day);
    this.inst.push(instId);
    this.industry.push(industryId);
    this.open.push(open);
    this.high.push(high);
    this.low.push(low);
    this.close.push(close);
    this.volume.push(volume);
    if (this.amount !== null) this.amount.push(amount);
    if (this.sharesOut !== null) this.sharesOut.push(sharesOut);
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
    const names = this.instrumentNames;
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
    const used = new Uint8Array(this.industryNames.length);
    for (let i = 0; i < length; i++) used[industryGathered[i]] = 1;
    const industries = this.industryNames.filter((_, k) => used[k] === 1).sort();
    const industryRank = new Int32Array(this.industryNames.length).fill(-1);
    for (let k = 0; k < this.industryNames.length; k++) {
      if (used[k] === 1) industryRank[k] = industries.indexOf(this.industryNames[k]);
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
