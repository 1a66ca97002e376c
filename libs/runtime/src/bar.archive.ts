import type { BarEvent, EndOfDayEvent } from '@alphafeed/codec';
import type { MarketEvent } from '@alphafeed/pipeline';
import type { StorePort } from '@alphafeed/store';
import { formatIsoDay } from '@alphafeed/core';
import { IndustryDictionary } from './industry.dictionary';
import { BARS_TABLE, MARKERS_TABLE } from './tables';

/**
 * The write-ahead log of a consumer, kept in the store: every bar and marker
 * of a bus batch is upserted here before the batch may be committed
 * (pipeline `writeAhead`). `closeDates` may hold a date open across many
 * batches; without this copy a crash after the commit would lose its bars.
 * Read back on start-up (rebuild the engines, reopen the open dates) and on a
 * restatement (recompute from the corrected bars).
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
        // The archive keeps adjusted prices, as closeDates applies the factor (SPEC §1).
        const f = b.factor ?? 1;
        instrument[i] = id;
        date[i] = b.date;
        c.open[i] = b.open * f;
        c.high[i] = b.high * f;
        c.low[i] = b.low * f;
        c.close[i] = b.close * f;
        c.volume[i] = b.volume / f;
        c.amount[i] = b.amount ?? NaN;
        c.shares_out[i] = b.shares_out ?? NaN;
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

  /** Number of archived bars of one day (written by this process or another instance). */
  async countBars(day: number): Promise<number> {
    const iso = formatIsoDay(day);
    return (
      await this.store.read(BARS_TABLE.name, {
        region: this.region,
        from: iso,
        to: iso,
        tags: { service: this.service },
      })
    ).length;
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
