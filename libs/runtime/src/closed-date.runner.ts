import { closedDateDigest, closedDateFromBars } from '@alphafeed/pipeline';
import type { BarEvent, ClosedDate, MarketEvent } from '@alphafeed/pipeline';
import type { StorePort } from '@alphafeed/store';
import { DEFAULT_RESTATEMENT_WINDOW } from '@alphafeed/pipeline';
import type { BarArchive } from './bar.archive';
import type { RuntimeLogger } from './runtime.logger';
import { DATES_TABLE } from './tables';

/**
 * What a service does with one closed date: run its incremental engine and,
 * when `publish` is given, write (and publish) the results with that
 * revision. Without `publish` it only advances the engine (warm-up after a
 * restart, the unchanged prefix of a restatement rebuild).
 */
export interface DateProcessor {
  /** Drops all engine state, before a rebuild from the archive. */
  reset(): void;
  /** @returns rows written (0 when only warming up). */
  step(
    closed: ClosedDate,
    position: number,
    calendar: readonly number[],
    publish: { readonly revision: number } | null,
  ): Promise<number>;
}

/** Where a restarted consumer continues. */
export interface ResumePoint {
  /** The last processed dates, to seed `closeDates` (restatement window, date order). */
  readonly initialClosed: readonly ClosedDate[];
  /** Written-ahead events of dates not processed yet: fed before the live stream. */
  readonly prefix: readonly MarketEvent[];
}

/**
 * Drives a DateProcessor with the closed dates of one region, in order, and
 * keeps the service's calendar (processed dates and their revisions) in the
 * `closed_dates` table: the restart point, and the trainer's calendar.
 *
 * Restatement rule (SPEC §8): a date re-emitted by `closeDates` with a higher
 * revision changes its own rows and every later row whose windows include it
 * (features look back up to 252 bars, labels forward 63 dates). The
 * incremental engines cannot rewind, so the runner rebuilds them from the
 * written-ahead bars: reset, replay the dates before the restated one
 * silently, then recompute and re-publish it and every later processed date,
 * each with its revision + 1. Cost: one pass over the archive per restatement
 * batch (restatements are rare and `closeDates` coalesces a vendor
 * correction of a whole date into one emission).
 */
export class ClosedDateRunner {
  private calendar: number[] = [];
  private readonly revisions = new Map<number, number>();
  private readonly digests = new Map<number, number>();
  private lastClosedAt = 0;

  constructor(
    private readonly store: StorePort,
    private readonly region: string,
    private readonly service: string,
    private readonly archive: BarArchive,
    private readonly processor: DateProcessor,
    private readonly logger: RuntimeLogger,
    private readonly restatementWindow = DEFAULT_RESTATEMENT_WINDOW,
  ) {}

  get lastDay(): number | null {
    return this.calendar.length === 0 ? null : this.calendar[this.calendar.length - 1];
  }

  get datesProcessed(): number {
    return this.calendar.length;
  }

  /** Revision and bar digest (`closedDateDigest`) of a processed date; undefined if it was not processed. */
  processed(day: number): { readonly revision: number; readonly digest: number } | undefined {
    const revision = this.revisions.get(day);
    return revision === undefined ? undefined : { revision, digest: this.digests.get(day) ?? NaN };
  }

  /** Wall-clock time of the last processed date (ms), 0 before the first. */
  get lastProcessedAt(): number {
    return this.lastClosedAt;
  }

  /**
   * Restores the state of a previous run: the processed dates from
   * `closed_dates`, the engines by a silent pass over their archived bars,
   * and the resume point for the ingestion stream.
   */
  async resume(): Promise<ResumePoint> {
    await this.archive.load();
    const dates = await this.store.read(DATES_TABLE.name, { region: this.region });
    for (let r = 0; r < dates.length; r++) {
      if (dates.instruments[dates.instrument[r]] !== this.service) continue;
      this.calendar.push(dates.date[r]);
      this.revisions.set(dates.date[r], dates.columns.revision[r]);
      this.digests.set(dates.date[r], dates.columns.digest[r]);
    }
    if (this.calendar.length === 0) return { initialClosed: [], prefix: await this.archive.readEvents() };
    const started = Date.now();
    const byDay = groupByDay(await this.archive.readEvents());
    this.processor.reset();
    const keepFrom = Math.max(0, this.calendar.length - this.restatementWindow);
    const initialClosed: ClosedDate[] = [];
    for (let p = 0; p < this.calendar.length; p++) {
      const day = this.calendar[p];
      const closed = this.rebuilt(day, byDay.get(day));
      await this.processor.step(closed, p, this.calendar, null);
      if (p >= keepFrom) initialClosed.push(closed);
    }
    const last = this.calendar[this.calendar.length - 1];
    const prefix: MarketEvent[] = [];
    for (const [day, group] of byDay) if (day > last) prefix.push(...group.events);
    this.logger.info(
      `resumed after ${this.calendar.length} processed dates (last ${isoDay(last)}) in ${Date.now() - started} ms; ${prefix.length} written-ahead events of later dates go first`,
    );
    return { initialClosed, prefix };
  }

  /** Processes one closed date from `closeDates` (new, restated or redelivered). */
  async handle(closed: ClosedDate): Promise<void> {
    const last = this.lastDay;
    if (last === null || closed.day > last) {
      const position = this.calendar.length;
      this.calendar.push(closed.day);
      const rows = await this.processor.step(closed, position, this.calendar, { revision: closed.revision });
      await this.recordDates([{ closed, rows, revision: closed.revision }]);
      return;
    }
    if (!this.revisions.has(closed.day)) {
      this.logger.warn(
        `closed date ${closed.date} is before the last processed date ${isoDay(last)} and was never processed; ignored (closeDates dead-letters such bars as late_date)`,
      );
      return;
    }
    await this.restate(closed);
  }

  private async restate(closed: ClosedDate): Promise<void> {
    const started = Date.now();
    const byDay = groupByDay(await this.archive.readEvents());
    this.processor.reset();
    const changed: { closed: ClosedDate; rows: number; revision: number }[] = [];
    for (let p = 0; p < this.calendar.length; p++) {
      const day = this.calendar[p];
      if (day < closed.day) {
        await this.processor.step(this.rebuilt(day, byDay.get(day)), p, this.calendar, null);
        continue;
      }
      const revision = Math.max(closed.day === day ? closed.revision : 0, (this.revisions.get(day) ?? 0) + 1);
      const input = day === closed.day ? closed : this.rebuilt(day, byDay.get(day));
      const rows = await this.processor.step(input, p, this.calendar, { revision });
      changed.push({ closed: input, rows, revision });
    }
    await this.recordDates(changed);
    this.logger.warn(
      `restatement of ${closed.date}: recomputed and re-published ${changed.length} dates in ${Date.now() - started} ms`,
      {
        date: closed.date,
        revision: closed.revision,
      },
    );
  }

  private rebuilt(day: number, group: DayEvents | undefined): ClosedDate {
    return closedDateFromBars(group?.bars ?? [], {
      region: this.region,
      day,
      revision: this.revisions.get(day) ?? 0,
      expectedCount: group?.barCount ?? null,
    });
  }

  private async recordDates(
    items: readonly { closed: ClosedDate; rows: number; revision: number }[],
  ): Promise<void> {
    if (items.length === 0) return;
    const n = items.length;
    const digests = items.map((i) => closedDateDigest(i.closed));
    await this.store.write(DATES_TABLE.name, {
      region: this.region,
      length: n,
      date: Int32Array.from(items, (i) => i.closed.day),
      instrument: new Int32Array(n),
      instruments: [this.service],
      columns: {
        bar_count: Float64Array.from(items, (i) => i.closed.length),
        rows: Float64Array.from(items, (i) => i.rows),
        revision: Float64Array.from(items, (i) => i.revision),
        timed_out: Float64Array.from(items, (i) => (i.closed.timedOut ? 1 : 0)),
        digest: Float64Array.from(digests),
      },
    });
    items.forEach((i, k) => {
      this.revisions.set(i.closed.day, i.revision);
      this.digests.set(i.closed.day, digests[k]);
    });
    this.lastClosedAt = Date.now();
  }
}

export interface DayEvents {
  readonly events: MarketEvent[];
  readonly bars: BarEvent[];
  barCount: number | null;
}

/** Archived events grouped by day, days ascending; `barCount` from the day's marker. */
export function groupByDay(events: readonly MarketEvent[]): Map<number, DayEvents> {
  const out = new Map<number, DayEvents>();
  for (const e of events) {
    const day = e.kind === 'bar' ? e.bar.date : e.eod.date;
    let g = out.get(day);
    if (g === undefined) out.set(day, (g = { events: [], bars: [], barCount: null }));
    g.events.push(e);
    if (e.kind === 'bar') g.bars.push(e.bar);
    else g.barCount = e.eod.bar_count;
  }
  return new Map([...out.entries()].sort((a, b) => a[0] - b[0]));
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
