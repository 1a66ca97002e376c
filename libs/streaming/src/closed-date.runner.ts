import { formatIsoDay } from '@alphafeed/core';
import type { Logger } from '@alphafeed/ops';
import type { BarEvent, MarketEvent } from '@alphafeed/pipeline';
import type { StorePort } from '@alphafeed/store';
import type { BarArchive } from './bar.archive';
import { closedDateDigest, closedDateFromBars } from './closed-date';
import type { ClosedDate } from './closed-date';
import type { ProcessedDate } from './date-closer';
import { BARS_TABLE, DATES_TABLE, INDUSTRIES_TABLE, MARKERS_TABLE } from './tables';

/**
 * What a service does with one closed date: run its incremental engine and,
 * when `publish` is given, write (and publish) the results with that
 * revision. Without `publish` it only advances the engine (warm-up after a
 * restart, the unchanged prefix of a restatement rebuild).
 */
export interface DateProcessor {
  /** Drops all engine state, before a rebuild from the archive. */
  reset(): void;
  /**
   * @returns rows of the date's output (0 when only warming up); recorded in
   * `closed_dates`, so it must not depend on timing (the scorer counts the
   * date's feature rows, scored or not).
   */
  step(
    closed: ClosedDate,
    position: number,
    calendar: readonly number[],
    publish: { readonly revision: number } | null,
  ): Promise<number>;
  /**
   * A term as the date-closing member begins (start, restart, takeover),
   * before the runner reads its state back: e.g. the scorer opens its
   * transactional publisher (fencing the previous owner's) and publishes what
   * a crash left written but unpublished.
   */
  open?(): Promise<void>;
  /**
   * Makes durable whatever the steps since the last flush staged (a
   * processor that batches its publications, as the scorer does one Kafka
   * transaction for a restatement). The runner calls it after each group of
   * steps, before it records the dates in `closed_dates`.
   */
  flush?(): Promise<void>;
  /**
   * After a restart or takeover: the first processed day whose output must
   * be published again (work the previous run wrote but may not have
   * published, e.g. the scorer's unpublished alphas), or null. The runner
   * then steps that day and every later one with `publish` (their recorded
   * revisions) in the same rebuild pass.
   */
  republishFrom?(calendar: readonly number[]): Promise<number | null>;
}

/** Where a restarted consumer continues. */
export interface ResumePoint {
  /** Every processed date (digest and bar count), to seed the date closer. */
  readonly processed: readonly ProcessedDate[];
  /** The last `recent` processed dates rebuilt from the archive, ascending (a cache's window). */
  readonly recent: readonly ClosedDate[];
  /** Archived events of dates not processed yet (the open dates), in (date, instrument) order. */
  readonly open: readonly MarketEvent[];
}

export interface ClosedDateRunnerOptions {
  readonly store: StorePort;
  readonly region: string;
  readonly service: string;
  readonly archive: BarArchive;
  readonly processor: DateProcessor;
  readonly logger: Logger;
  /** Processed dates `resume` returns rebuilt (`recent`); default 300. */
  readonly recent?: number;
}

/** What `closed_dates` keeps of a processed date (no bars: a restatement may record thousands). */
interface Recorded {
  readonly day: number;
  readonly length: number;
  readonly timedOut: boolean;
  readonly digest: number;
  readonly rows: number;
  readonly revision: number;
}

function recorded(closed: ClosedDate, rows: number, revision: number): Recorded {
  return {
    day: closed.day,
    length: closed.length,
    timedOut: closed.timedOut,
    digest: closedDateDigest(closed),
    rows,
    revision,
  };
}

/**
 * Drives a DateProcessor with the closed dates of one region, in order, and
 * keeps the service's calendar (processed dates, their revisions and bar
 * digests) in the `closed_dates` table: the restart point, and the trainer's
 * calendar.
 *
 * Restatement rule (SPEC §8): a date re-emitted by the closer with a higher
 * revision changes its own rows and every later row whose windows include it
 * (features look back up to 252 bars, labels forward 63 dates). The
 * incremental engines cannot rewind, so the runner rebuilds them from the
 * written-ahead bars: reset, replay the dates before the restated one
 * silently, then recompute and re-publish it and every later processed date,
 * each with its revision + 1. Cost: one pass over the archive per restatement
 * (restatements are rare, and the closer coalesces a vendor correction of a
 * whole date into one emission).
 *
 * Crash consistency: a restatement is durable work before the offset of its
 * bar is committed — the corrected bar is in the bar archive, and the date's
 * `closed_dates` digest no longer matches the archived bars until the
 * restatement recorded its dates (one write, after the processor flushed).
 * `resume` compares every recorded digest with the archive and finishes any
 * such pending restatement (from the earliest stale date, revision + 1), so a
 * crash at any point of a restatement, or between archiving a correction and
 * processing it, loses nothing.
 *
 * Every operation runs under one lock (`exclusive`): the consumer's dates,
 * a resume and a `rerun` (the scorer's model swap) never interleave.
 */
export class ClosedDateRunner {
  private calendar: number[] = [];
  private readonly revisions = new Map<number, number>();
  private readonly digests = new Map<number, number>();
  private readonly counts = new Map<number, number>();
  private lastClosedAt = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly store: StorePort;
  private readonly region: string;
  private readonly service: string;
  private readonly archive: BarArchive;
  private readonly processor: DateProcessor;
  private readonly logger: Logger;
  private readonly recent: number;

  constructor(options: ClosedDateRunnerOptions) {
    ({
      store: this.store,
      region: this.region,
      service: this.service,
      archive: this.archive,
      processor: this.processor,
      logger: this.logger,
    } = options);
    this.recent = options.recent ?? 300;
  }

  get lastDay(): number | null {
    return this.calendar.length === 0 ? null : this.calendar[this.calendar.length - 1];
  }

  get datesProcessed(): number {
    return this.calendar.length;
  }

  /** The processed days, ascending (the live list: it grows as dates are processed). */
  get days(): readonly number[] {
    return this.calendar;
  }

  /** The revision recorded for a processed day (0 if none). */
  revisionOf(day: number): number {
    return this.revisions.get(day) ?? 0;
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

  /** Runs `work` after everything queued before it (a promise-chain lock). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Restores the state of a previous run (or of another member, for a
   * standby taking over): the processed dates from `closed_dates`, the
   * engines by a pass over their archived bars, and the archived events of
   * the dates still open. In the same pass it finishes a pending restatement
   * (a processed date whose archived bars no longer match its recorded
   * digest: it and every later date are recomputed and re-published with
   * revision + 1 and recorded) and re-publishes from the processor's
   * `republishFrom` day on (recorded revisions).
   */
  resume(): Promise<ResumePoint> {
    return this.exclusive(() => this.resumeNow());
  }

  private async resumeNow(): Promise<ResumePoint> {
    this.calendar = [];
    this.revisions.clear();
    this.digests.clear();
    this.counts.clear();
    // What the previous owner committed may not be visible to reads yet (QuestDB applies WAL asynchronously).
    await this.store.sync([BARS_TABLE.name, MARKERS_TABLE.name, INDUSTRIES_TABLE.name, DATES_TABLE.name]);
    await this.processor.open?.();
    await this.archive.load();
    const dates = await this.store.read(DATES_TABLE.name, { region: this.region });
    for (let r = 0; r < dates.length; r++) {
      if (dates.instruments[dates.instrument[r]] !== this.service) continue;
      const day = dates.date[r];
      this.calendar.push(day);
      this.revisions.set(day, dates.columns.revision[r]);
      this.digests.set(day, dates.columns.digest[r]);
      this.counts.set(day, dates.columns.bar_count[r]);
    }
    this.processor.reset();
    if (this.calendar.length === 0)
      return { processed: [], recent: [], open: await this.archive.readEvents() };
    const started = Date.now();
    const byDay = groupByDay(await this.archive.readEvents());
    const republish = (await this.processor.republishFrom?.(this.calendar)) ?? null;
    const keepFrom = Math.max(0, this.calendar.length - this.recent);
    const recent: ClosedDate[] = [];
    const restated: Recorded[] = [];
    let staleDay: number | null = null;
    // One pass: each date rebuilt from the archive, its digest checked before it is stepped.
    for (let p = 0; p < this.calendar.length; p++) {
      const day = this.calendar[p];
      let closed = this.rebuilt(day, byDay.get(day));
      if (staleDay === null && closedDateDigest(closed) !== this.digests.get(day)) staleDay = day;
      if (staleDay !== null) {
        const revision = this.revisionOf(day) + 1;
        closed = { ...closed, revision, restated: true };
        const rows = await this.processor.step(closed, p, this.calendar, { revision });
        restated.push(recorded(closed, rows, revision));
      } else if (republish !== null && day >= republish) {
        await this.processor.step(closed, p, this.calendar, { revision: this.revisionOf(day) });
      } else {
        await this.processor.step(closed, p, this.calendar, null);
      }
      if (p >= keepFrom) recent.push(closed);
    }
    await this.processor.flush?.();
    await this.recordDates(restated);
    const last = this.calendar[this.calendar.length - 1];
    const open: MarketEvent[] = [];
    for (const [day, group] of byDay) if (day > last) open.push(...group.events);
    this.logger.info(
      `resumed after ${this.calendar.length} processed dates (last ${formatIsoDay(last)}) in ${Date.now() - started} ms; ${open.length} archived events of later dates reopen their dates`,
    );
    if (staleDay !== null)
      this.logger.warn(
        `resume: the archived bars of ${formatIsoDay(staleDay)} no longer match what was processed (a restatement the previous run did not finish); recomputed and re-published ${restated.length} dates from it with revision + 1`,
        { date: formatIsoDay(staleDay) },
      );
    const processed = this.calendar.map((day) => ({
      day,
      digest: this.digests.get(day) as number,
      length: this.counts.get(day) as number,
    }));
    return { processed, recent, open };
  }

  /** Processes one closed date from `closeDates` (new, restated or redelivered). */
  handle(closed: ClosedDate): Promise<void> {
    return this.exclusive(() => this.handleNow(closed));
  }

  private async handleNow(closed: ClosedDate): Promise<void> {
    const last = this.lastDay;
    if (last === null || closed.day > last) {
      const position = this.calendar.length;
      this.calendar.push(closed.day);
      let rows: number;
      try {
        rows = await this.processor.step(closed, position, this.calendar, { revision: closed.revision });
        await this.processor.flush?.();
      } catch (error) {
        // Not processed: the consumer restarts from the store (the engine stepped this date already).
        this.calendar.pop();
        throw error;
      }
      await this.recordDates([recorded(closed, rows, closed.revision)]);
      return;
    }
    if (!this.revisions.has(closed.day)) {
      this.logger.warn(
        `closed date ${closed.date} is before the last processed date ${formatIsoDay(last)} and was never processed; ignored (the closer dead-letters such events as late_date)`,
      );
      return;
    }
    await this.restate(closed);
  }

  /**
   * Steps every processed date again from `fromDay` on, publishing with its
   * recorded revision (nothing is recorded: the dates' bars did not change),
   * after a silent pass over the earlier ones: the scorer's model swap scores
   * the dates its new model has not published yet this way. A pass over the
   * archive, under the lock.
   */
  rerun(fromDay: number): Promise<number> {
    return this.exclusive(async () => {
      const from = this.calendar.findIndex((d) => d >= fromDay);
      if (from < 0) return 0;
      const byDay = groupByDay(await this.archive.readEvents());
      this.processor.reset();
      for (let p = 0; p < this.calendar.length; p++) {
        const day = this.calendar[p];
        const closed = this.rebuilt(day, byDay.get(day));
        await this.processor.step(closed, p, this.calendar, p < from ? null : { revision: this.revisionOf(day) });
      }
      await this.processor.flush?.();
      return this.calendar.length - from;
    });
  }

  private async restate(closed: ClosedDate): Promise<void> {
    const started = Date.now();
    const byDay = groupByDay(await this.archive.readEvents());
    this.processor.reset();
    const changed: Recorded[] = [];
    for (let p = 0; p < this.calendar.length; p++) {
      const day = this.calendar[p];
      if (day < closed.day) {
        await this.processor.step(this.rebuilt(day, byDay.get(day)), p, this.calendar, null);
        continue;
      }
      const revision = Math.max(closed.day === day ? closed.revision : 0, (this.revisions.get(day) ?? 0) + 1);
      const input = day === closed.day ? closed : { ...this.rebuilt(day, byDay.get(day)), revision, restated: true };
      const rows = await this.processor.step(input, p, this.calendar, { revision });
      changed.push(recorded(input, rows, revision));
    }
    await this.processor.flush?.();
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

  private async recordDates(items: readonly Recorded[]): Promise<void> {
    if (items.length === 0) return;
    const n = items.length;
    await this.store.write(DATES_TABLE.name, {
      region: this.region,
      length: n,
      date: Int32Array.from(items, (i) => i.day),
      instrument: new Int32Array(n),
      instruments: [this.service],
      columns: {
        bar_count: Float64Array.from(items, (i) => i.length),
        rows: Float64Array.from(items, (i) => i.rows),
        revision: Float64Array.from(items, (i) => i.revision),
        timed_out: Float64Array.from(items, (i) => (i.timedOut ? 1 : 0)),
        digest: Float64Array.from(items, (i) => i.digest),
      },
    });
    for (const i of items) {
      this.revisions.set(i.day, i.revision);
      this.digests.set(i.day, i.digest);
      this.counts.set(i.day, i.length);
    }
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
