import type { BarEvent } from '@alphafeed/pipeline';
import type { ClosedDate } from './closed-date';

/** What an upsert did: a new instrument, a changed bar, or an identical duplicate. */
export type UpsertResult = 'added' | 'replaced' | 'unchanged';

const INITIAL_CAPACITY = 64;

/**
 * The bars of one date while it is open: one growable Float64Array per field
 * and a Map from instrument code to row, so a duplicate (date, instrument)
 * overwrites its row (last value wins) instead of adding one. Amortised O(1)
 * per bar; `toClosed` sorts the rows by code, O(n log n), once per emission.
 */
export class DateBuffer {
  private readonly rowOf = new Map<string, number>();
  private readonly codes: string[] = [];
  private readonly industryNames: string[] = [];
  private capacity = 0;
  private open: Float64Array<ArrayBuffer> = new Float64Array(0);
  private high: Float64Array<ArrayBuffer> = new Float64Array(0);
  private low: Float64Array<ArrayBuffer> = new Float64Array(0);
  private close: Float64Array<ArrayBuffer> = new Float64Array(0);
  private volume: Float64Array<ArrayBuffer> = new Float64Array(0);
  private amount: Float64Array<ArrayBuffer> = new Float64Array(0);
  private sharesOut: Float64Array<ArrayBuffer> = new Float64Array(0);

  get size(): number {
    return this.codes.length;
  }

  /** A mutable copy of a closed date, to apply restated bars to. O(n). */
  static fromClosed(closed: ClosedDate): DateBuffer {
    const buffer = new DateBuffer();
    buffer.grow(closed.length);
    for (let i = 0; i < closed.length; i++) {
      buffer.rowOf.set(closed.instruments[i], i);
      buffer.codes.push(closed.instruments[i]);
      buffer.industryNames.push(closed.industries[closed.industry[i]]);
    }
    buffer.open.set(closed.open);
    buffer.high.set(closed.high);
    buffer.low.set(closed.low);
    buffer.close.set(closed.close);
    buffer.volume.set(closed.volume);
    buffer.amount.set(closed.amount);
    buffer.sharesOut.set(closed.sharesOut);
    return buffer;
  }

  /**
   * Inserts or overwrites the instrument's row. The bar is adjusted already:
   * the admission (`validateBars`) applies the factor once for the stream, so
   * a bar still carrying one here is a programmer error (TypeError).
   */
  upsert(bar: BarEvent, industryName: string): UpsertResult {
    const { open, high, low, close, volume, amount, sharesOut } = storedValues(bar);
    let row = this.rowOf.get(bar.instrument);
    let result: UpsertResult = 'replaced';
    if (row === undefined) {
      row = this.codes.length;
      if (row === this.capacity) this.grow(Math.max(INITIAL_CAPACITY, 2 * this.capacity));
      this.rowOf.set(bar.instrument, row);
      this.codes.push(bar.instrument);
      this.industryNames.push(industryName);
      result = 'added';
    } else if (
      this.industryNames[row] === industryName &&
      Object.is(this.open[row], open) &&
      Object.is(this.high[row], high) &&
      Object.is(this.low[row], low) &&
      Object.is(this.close[row], close) &&
      Object.is(this.volume[row], volume) &&
      Object.is(this.amount[row], amount) &&
      Object.is(this.sharesOut[row], sharesOut)
    ) {
      return 'unchanged';
    } else {
      this.industryNames[row] = industryName;
    }
    this.open[row] = open;
    this.high[row] = high;
    this.low[row] = low;
    this.close[row] = close;
    this.volume[row] = volume;
    this.amount[row] = amount;
    this.sharesOut[row] = sharesOut;
    return result;
  }

  /** Freezes the buffer into a ClosedDate with fresh arrays sorted by instrument code. */
  toClosed(
    meta: Omit<
      ClosedDate,
      | 'length'
      | 'instruments'
      | 'industries'
      | 'industry'
      | 'open'
      | 'high'
      | 'low'
      | 'close'
      | 'volume'
      | 'amount'
      | 'sharesOut'
    >,
  ): ClosedDate {
    const n = this.codes.length;
    const codes = this.codes;
    const order = Array.from({ length: n }, (_, i) => i);
    // Code-unit order, not localeCompare: the same on every machine and locale.
    order.sort((a, b) => (codes[a] < codes[b] ? -1 : codes[a] > codes[b] ? 1 : 0));
    const industries = [...new Set(this.industryNames)].sort();
    const industryIndex = new Map(industries.map((name, i) => [name, i]));
    const instruments = new Array<string>(n);
    const industry = new Int32Array(n);
    const open = new Float64Array(n);
    const high = new Float64Array(n);
    const low = new Float64Array(n);
    const close = new Float64Array(n);
    const volume = new Float64Array(n);
    const amount = new Float64Array(n);
    const sharesOut = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = order[i];
      instruments[i] = codes[r];
      industry[i] = industryIndex.get(this.industryNames[r]) as number;
      open[i] = this.open[r];
      high[i] = this.high[r];
      low[i] = this.low[r];
      close[i] = this.close[r];
      volume[i] = this.volume[r];
      amount[i] = this.amount[r];
      sharesOut[i] = this.sharesOut[r];
    }
    return {
      ...meta,
      length: n,
      instruments,
      industries,
      industry,
      open,
      high,
      low,
      close,
      volume,
      amount,
      sharesOut,
    };
  }

  private grow(capacity: number): void {
    const copy = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(capacity);
      b.set(a.subarray(0, this.codes.length));
      return b;
    };
    this.open = copy(this.open);
    this.high = copy(this.high);
    this.low = copy(this.low);
    this.close = copy(this.close);
    this.volume = copy(this.volume);
    this.amount = copy(this.amount);
    this.sharesOut = copy(this.sharesOut);
    this.capacity = capacity;
  }
}

/**
 * A bar's values as the stream keeps them (prices and volume already
 * adjusted at admission, amount and shares_out NaN when null). Refuses a bar
 * that still carries a factor: applying it here too would adjust twice.
 */
export function storedValues(bar: BarEvent): {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  amount: number;
  sharesOut: number;
} {
  if (bar.factor !== null && bar.factor !== 1)
    throw new TypeError(
      `bar ${bar.instrument} ${bar.date} still carries factor ${bar.factor}: bars are adjusted once, at admission (validateBars)`,
    );
  return {
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    amount: bar.amount ?? NaN,
    sharesOut: bar.shares_out ?? NaN,
  };
}
