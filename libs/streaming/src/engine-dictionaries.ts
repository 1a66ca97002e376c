import type { ClosedDate } from './closed-date';

/**
 * Stable instrument and industry ids for the incremental engines, which
 * index their state by id across dates, while each ClosedDate carries its own
 * sorted dictionaries. Ids are assigned on first sight and never change for
 * the life of the process (also across an engine rebuild).
 */
export class EngineDictionaries {
  readonly instruments: string[] = [];
  readonly industries: string[] = [];
  private readonly instrumentIds = new Map<string, number>();
  private readonly industryIds = new Map<string, number>();

  instrumentId(code: string): number {
    let id = this.instrumentIds.get(code);
    if (id === undefined) {
      id = this.instruments.length;
      this.instrumentIds.set(code, id);
      this.instruments.push(code);
    }
    return id;
  }

  industryId(name: string): number {
    let id = this.industryIds.get(name);
    if (id === undefined) {
      id = this.industries.length;
      this.industryIds.set(name, id);
      this.industries.push(name);
    }
    return id;
  }

  /** The closed date's bars with engine ids. O(bars). */
  dateBars(closed: ClosedDate): {
    length: number;
    instrument: Int32Array;
    industry: Int32Array;
    close: Float64Array;
    volume: Float64Array;
    amount: Float64Array;
    sharesOut: Float64Array;
  } {
    const n = closed.length;
    const instrument = new Int32Array(n);
    const industry = new Int32Array(n);
    const industryOf = closed.industries.map((name) => this.industryId(name));
    for (let b = 0; b < n; b++) {
      instrument[b] = this.instrumentId(closed.instruments[b]);
      industry[b] = industryOf[closed.industry[b]];
    }
    return {
      length: n,
      instrument,
      industry,
      close: closed.close,
      volume: closed.volume,
      amount: closed.amount,
      sharesOut: closed.sharesOut,
    };
  }
}

/** True when any value is a number (the input carries the optional column, SPEC §1–2). */
export function hasValues(column: Float64Array): boolean {
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) return true;
  return false;
}
