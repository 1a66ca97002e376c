import { formatIsoDay } from '@alphafeed/core';
import { StoreError } from './errors';
import type { KeyedColumns, TableSpec } from './store.port';

/**
 * Growable columnar builder for read results: typed arrays doubled on demand
 * (amortised O(1) per row) and trimmed once at the end, plus an instrument
 * dictionary. Rows arrive sorted by (date, instrument); with
 * `rejectDuplicates`, two rows with the same (date, instrument) (different
 * extra-key values) are an error.
 */
export class ColumnsBuilder {
  private capacity = 1024;
  private n = 0;
  private day = new Int32Array(this.capacity);
  private inst = new Int32Array(this.capacity);
  private cols: Float64Array[];
  private readonly dict = new Map<string, number>();
  private readonly names: string[] = [];
  /** Per tag: its one value so far, or null once two rows disagreed. */
  private readonly tagValues: (string | null | undefined)[];

  constructor(
    private readonly numericNames: readonly string[],
    private readonly tagNames: readonly string[],
    private readonly rejectDuplicates: TableSpec | undefined,
  ) {
    this.cols = numericNames.map(() => new Float64Array(this.capacity));
    this.tagValues = tagNames.map(() => undefined);
  }

  /** fields: day, instrument, tags..., numeric columns... */
  row(fields: readonly (string | null)[]): void {
    const day = Number(fields[0]);
    const name = fields[1] ?? '';
    let idx = this.dict.get(name);
    if (idx === undefined) {
      idx = this.names.length;
      this.dict.set(name, idx);
      this.names.push(name);
    }
    const at = this.n;
    if (
      this.rejectDuplicates !== undefined &&
      at > 0 &&
      this.day[at - 1] === day &&
      this.inst[at - 1] === idx
    ) {
      const keys = this.rejectDuplicates.extraKeys;
      throw new StoreError(
        'STORE_AMBIGUOUS_READ',
        `${this.rejectDuplicates.name}: ${name} on ${formatIsoDay(day)} has rows for several ${keys.join('/')} values; ` +
          `add tags: { ${keys.map((k) => `${k}: ...`).join(', ')} } to the read`,
      );
    }
    if (at === this.capacity) this.grow();
    this.day[at] = day;
    this.inst[at] = idx;
    const t0 = 2;
    for (let t = 0; t < this.tagNames.length; t++) {
      const v = fields[t0 + t];
      const seen = this.tagValues[t];
      if (seen === undefined) this.tagValues[t] = v;
      else if (seen !== v) this.tagValues[t] = null;
    }
    const c0 = t0 + this.tagNames.length;
    for (let c = 0; c < this.cols.length; c++) {
      const v = fields[c0 + c];
      this.cols[c][at] = v === null ? NaN : Number(v);
    }
    this.n++;
  }

  /**
   * The result, with the instrument dictionary sorted by name (indices
   * remapped) so that index order is name order. Tags: the fixed ones from the
   * query plus every selected tag on which all rows agree.
   */
  build(region: string, fixedTags: Readonly<Record<string, string>>): KeyedColumns {
    const n = this.n;
    const order = this.names
      .map((_, i) => i)
      .sort((a, b) => (this.names[a] < this.names[b] ? -1 : this.names[a] > this.names[b] ? 1 : 0));
    const remap = new Int32Array(order.length);
    for (let k = 0; k < order.length; k++) remap[order[k]] = k;
    const instrument = new Int32Array(n);
    for (let i = 0; i < n; i++) instrument[i] = remap[this.inst[i]];
    const columns: Record<string, Float64Array> = {};
    for (let c = 0; c < this.cols.length; c++) columns[this.numericNames[c]] = this.cols[c].slice(0, n);
    const tags: Record<string, string> = { ...fixedTags };
    for (let t = 0; t < this.tagNames.length; t++) {
      const v = this.tagValues[t];
      if (typeof v === 'string') tags[this.tagNames[t]] = v;
    }
    const result: KeyedColumns = {
      region,
      length: n,
      date: this.day.slice(0, n),
      instrument,
      instruments: order.map((i) => this.names[i]),
      columns,
    };
    return { ...result, tags };
  }

  private grow(): void {
    this.capacity *= 2;
    const day = new Int32Array(this.capacity);
    day.set(this.day);
    this.day = day;
    const inst = new Int32Array(this.capacity);
    inst.set(this.inst);
    this.inst = inst;
    this.cols = this.cols.map((old) => {
      const next = new Float64Array(this.capacity);
      next.set(old);
      return next;
    });
  }
}
