import type { BarEvent, EndOfDayEvent } from '@alphafeed/codec';
import type { MarketEvent } from '@alphafeed/pipeline';
import type { StorePort } from '@alphafeed/store';
import { formatIsoDay } from '@alphafeed/core';
import { DateBuffer, storedValues } from './date-buffer';
import type { ArchivedDate } from './date-bars.port';
import { IndustryDictionary } from './industry.dictionary';
import { BARS_TABLE, MARKERS_TABLE } from './tables';

/**
 * The write-ahead log of a consumer, kept in the store: every bar and marker
 * of a bus batch is upserted here before the batch may be committed
 * (pipeline `writeAhead`). A date stays open across many batches; without
 * this copy a crash after the commit would lose its bars. The date closer
 * reads dates from here (through a `DateBarsPort`); read back on start-up
 * (rebuild the engines, reopen the open dates) and on a restatement
 * (recompute from the corrected bars).
 *
 * Cost: one store write per bus batch (two with markers); rows are keyed by
 * (region, date, instrument, service), so redelivered messages are upserts.
 */
export class BarArchive {
  readonly industries: IndustryDictionary;

  constructor(
    private readonly store: StorePort,
    private readonly region: string,
    private readonly service: string,
  ) {
    this.industries = new IndustryDictionary(store, region, service);
  }

  async load(): Promise<void> {
    await this.industries.load();
  }

  /** The `write` of `writeAhead`: bars and markers of one bus batch. */
  async write(events: readonly MarketEvent[]): Promise<void> {
    const bars: BarEvent[] = [];
    const markers: EndOfDayEvent[] = [];
    for (const e of events) {
      if (e.kind === 'bar') {
        if (e.bar.industry !== null) bars.push(e.bar);
      } else markers.push(e.eod);
    }
    if (bars.length > 0) {
      const n = bars.length;
      const instruments: string[] = [];
      const idOf = new Map<string, number>();
      const instrument = new Int32Array(n);
      const date = new Int32Array(n);
      const col = (): Float64Array => new Float64Array(n);
      const c = {
        open: col(),
        high: col(),
        low: col(),
        close: col(),
        volume: col(),
        amount: col(),
        shares_out: col(),
        industry: col(),
      };
      for (let i = 0; i < n; i++) {
        const b = bars[i];
        let id = idOf.get(b.instrument);
        if (id === undefined) {
          id = instruments.length;
          idOf.set(b.instrument, id);
          instruments.push(b.instrument);
        }
        // Adjusted at admission (SPEC §1); the archive stores the values the closer assembles.
        const a = storedValues(b);
        instrument[i] = id;
        date[i] = b.date;
        c.open[i] = a.open;
        c.high[i] = a.high;
        c.low[i] = a.low;
        c.close[i] = a.close;
        c.volume[i] = a.volume;
        c.amount[i] = a.amount;
        c.shares_out[i] = a.sharesOut;
        c.industry[i] = this.industries.code(b.industry as string);
      }
      await this.industries.flush();
      await this.store.write(BARS_TABLE.name, {
        region: this.region,
        length: n,
        date,
        instrument,
        instruments,
        columns: c,
        tags: { service: this.service },
      });
    }
    if (markers.length > 0) {
      await this.store.write(MARKERS_TABLE.name, {
        region: this.region,
        length: markers.length,
        date: Int32Array.from(markers, (m) => m.date),
        instrument: new Int32Array(markers.length),
        instruments: [this.region],
        columns: { bar_count: Float64Array.from(markers, (m) => m.bar_count) },
        tags: { service: this.service },
      });
    }
  }

  /**
   * Archived bars per day for the days in [fromDay, toDay] that have any
   * (written by this process or another instance). Rows are unique per
   * (date, instrument), so rows are distinct bars.
   */
  async counts(fromDay: number, toDay: number): Promise<Map<number, number>> {
    const rows = await this.store.read(BARS_TABLE.name, {
      region: this.region,
      from: Number.isFinite(fromDay) ? formatIsoDay(fromDay) : undefined,
      to: Number.isFinite(toDay) ? formatIsoDay(toDay) : undefined,
      tags: { service: this.service },
    });
    const out = new Map<number, number>();
    for (let r = 0; r < rows.length; r++) out.set(rows.date[r], (out.get(rows.date[r]) ?? 0) + 1);
    return out;
  }

  /** One day's archived bars in a buffer (adjusted values as archived) and its marker's bar_count. */
  async readDate(day: number): Promise<ArchivedDate> {
    const buffer = new DateBuffer();
    let expected: number | null = null;
    for (const e of await this.readEvents(day, day)) {
      if (e.kind === 'bar') buffer.upsert(e.bar, e.bar.industry as string);
      else expected = e.eod.bar_count;
    }
    return { buffer, expected };
  }

  /** Archived end-of-day markers of days in [fromDay, toDay]. */
  async readMarkers(fromDay: number, toDay: number): Promise<EndOfDayEvent[]> {
    const query = {
      region: this.region,
      from: formatIsoDay(fromDay),
      to: formatIsoDay(toDay),
      tags: { service: this.service },
    };
    const marks = await this.store.read(MARKERS_TABLE.name, query);
    return Array.from({ length: marks.length }, (_, m) => ({
      region: this.region,
      date: marks.date[m],
      bar_count: marks.columns.bar_count[m],
    }));
  }

  /**
   * Archived bars of days in [fromDay, toDay] (unbounded when omitted) as events, date by date, in
   * (date, instrument) order, with the archived markers after each date's
   * bars. Bars are re-emitted adjusted (`factor: null`).
   */
  async readEvents(fromDay?: number, toDay?: number): Promise<MarketEvent[]> {
    const query = {
      region: this.region,
      from: fromDay === undefined ? undefined : formatIsoDay(fromDay),
      to: toDay === undefined ? undefined : formatIsoDay(toDay),
      tags: { service: this.service },
    };
    const rows = await this.store.read(BARS_TABLE.name, query);
    const marks = await this.store.read(MARKERS_TABLE.name, query);
    const c = rows.columns;
    const industryOf = new Map<number, string>();
    for (let r = 0; r < rows.length; r++)
      if (!industryOf.has(c.industry[r]))
        industryOf.set(c.industry[r], await this.industries.name(c.industry[r]));
    const out: MarketEvent[] = [];
    let m = 0;
    const pushMarkersBefore = (day: number): void => {
      while (m < marks.length && marks.date[m] < day) {
        out.push({
          kind: 'eod',
          eod: { region: this.region, date: marks.date[m], bar_count: marks.columns.bar_count[m] },
        });
        m++;
      }
    };
    for (let r = 0; r < rows.length; r++) {
      pushMarkersBefore(rows.date[r]);
      out.push({
        kind: 'bar',
        bar: {
          region: this.region,
          date: rows.date[r],
          instrument: rows.instruments[rows.instrument[r]],
          open: c.open[r],
          high: c.high[r],
          low: c.low[r],
          close: c.close[r],
          volume: c.volume[r],
          amount: Number.isNaN(c.amount[r]) ? null : c.amount[r],
          shares_out: Number.isNaN(c.shares_out[r]) ? null : c.shares_out[r],
          factor: null,
          industry: industryOf.get(c.industry[r]) as string,
        },
      });
    }
    pushMarkersBefore(Infinity);
    return out;
  }
}
