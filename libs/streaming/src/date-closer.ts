import { formatIsoDay } from '@alphafeed/core';
import { Backoff } from '@alphafeed/ops';
import type { Logger } from '@alphafeed/ops';
import type { MarketEvent, Violation } from '@alphafeed/pipeline';
import { assembleDate, closedDateDigest } from './closed-date';
import type { ClosedDate } from './closed-date';
import type { DateBarsPort } from './date-bars.port';

export interface DateCloserOptions {
  readonly region: string;
  /**
   * How long a date with a marker may go without progress before it closes
   * anyway, short of its `bar_count` bars (ms, > 0). Progress: a new bar or
   * the marker of that date or of an earlier date.
   */
  readonly eodTimeoutMs: number;
  readonly logger: Logger;
  /** The revision recorded for a processed day; a restatement is emitted with it + 1. */
  readonly revisionOf: (day: number) => number;
  /**
   * Backoff of the store polls while a marked date waits for bars other
   * members write (ports that do not see every bar); default 10 ms to 200 ms.
   */
  readonly poll?: { readonly initialMs: number; readonly maxMs: number };
}

/** What the closer knows of a processed date: the digest of its bars and its bar count. */
export interface ProcessedDate {
  readonly day: number;
  readonly digest: number;
  readonly length: number;
}

interface OpenDate {
  readonly day: number;
  /** `bar_count` of the marker, null until it arrived. */
  expected: number | null;
  /** Distinct bars in the archive when last looked. */
  count: number;
  /** Time of the last progress (new bar, marker) on this date. */
  progressAt: number;
  /** Set when a marker's timeout covered this date: close it, complete or not. */
  expired: boolean;
  /** When the first marker of this date arrived (for the marker → output latency). */
  markerAt: number | null;
}

/**
 * Closes the dates of one region (SPEC §8), the same way whether this member
 * sees every bar (`consumers: single`) or other members write them
 * (`shared`): the dates' bars are read through a `DateBarsPort` over the bar
 * archive, which every bar reaches before its offset is committed.
 *
 * - **Close**: a date closes when its marker `{date, bar_count}` arrived and
 *   the archive holds `bar_count` distinct bars of it (more close it too,
 *   with a warning).
 * - **Order**: dates close in date order; a complete date waits while an
 *   earlier date is open (has bars or a marker).
 * - **Timeout**: a date with a marker closes `eodTimeoutMs` after the last
 *   progress on it or on an earlier date (the line ahead is still moving), and
 *   so does every earlier open date, flagged `timedOut` with a warning. So a
 *   backfill whose markers (one partition) run ahead of its bars closes no
 *   date early while bars keep arriving. An earlier date without a marker at
 *   that point has lost it (markers are published in date order) and closes
 *   with `expectedCount: null`. A date with bars but no marker and no later
 *   marker waits (its day is not over).
 * - **Restatement**: a processed date that gets a bar again (single: the bar
 *   itself; shared: the marker its ingesting member re-sends) is read back
 *   at the next `due()` and re-emitted with revision + 1 only when the digest
 *   of its bars changed — a replay of the same input is a no-op, a vendor
 *   correction of a whole date is one re-emission.
 * - **Late date**: an event of a never-processed date before the last closed
 *   one is refused by `admit` (dead letter `late_date`) before it reaches the
 *   archive: it cannot be emitted in order.
 *
 * The closer is a state machine driven by its caller (`closeDates`): `admit`
 * before the archive write, `onEvent` after it, `due(now)` at each
 * checkpoint and when `nextCheck` says. State: one entry per open date, one
 * digest per processed date (8 bytes + map overhead), nothing per bar.
 */
export class DateCloser {
  private lastClosed = -Infinity;
  private readonly processed = new Map<number, ProcessedDate>();
  private readonly open = new Map<number, OpenDate>();
  /** Processed days that got events since the last `due()`. */
  private readonly touched = new Set<number>();
  /** Last progress of the dates closed so far: every open date comes after them. */
  private lineProgressAt = -Infinity;
  private flushing = false;
  /** Marker arrival times of dates closed and not yet asked for by `markerTime`. */
  private readonly markerTimes = new Map<number, number>();
  private readonly pollOptions: { readonly initialMs: number; readonly maxMs: number };
  private pollBackoff: Backoff;

  constructor(
    private readonly bars: DateBarsPort,
    private readonly options: DateCloserOptions,
  ) {
    const t = options.eodTimeoutMs;
    if (!(t > 0) || !Number.isFinite(t))
      throw new RangeError(`DateCloser: eodTimeoutMs must be a finite number > 0, got ${t}`);
    this.pollOptions = options.poll ?? { initialMs: 10, maxMs: 200 };
    this.pollBackoff = this.newPollBackoff();
  }

  /** The last closed (emitted) day, null before the first. */
  get lastClosedDay(): number | null {
    return Number.isFinite(this.lastClosed) ? this.lastClosed : null;
  }

  /** Days open now (with bars or a marker), ascending. */
  get openDays(): number[] {
    return [...this.open.keys()].sort((a, b) => a - b);
  }

  /**
   * Starts over from processed dates (a restart, or a standby taking over):
   * forgets open dates and pending restatements; open dates come back
   * through `onEvent` of their archived events or from the port.
   */
  resume(processed: Iterable<ProcessedDate>, now: number): void {
    this.processed.clear();
    this.open.clear();
    this.touched.clear();
    this.markerTimes.clear();
    this.lastClosed = -Infinity;
    this.flushing = false;
    for (const p of processed) {
      this.processed.set(p.day, p);
      if (p.day > this.lastClosed) this.lastClosed = p.day;
    }
    this.lineProgressAt = now;
  }

  /**
   * Whether an event may enter the archive: a bar or marker of a date
   * before the last closed one that was never processed is a `late_date`
   * dead letter. Everything else is admitted (new dates, corrections of
   * processed ones). The answer never turns from refused to admitted, so it
   * may be asked before the archive write while dates close meanwhile.
   */
  admit(event: MarketEvent): Violation | null {
    const day = event.kind === 'bar' ? event.bar.date : event.eod.date;
    if (day > this.lastClosed || this.processed.has(day)) return null;
    const last = formatIsoDay(this.lastClosed);
    return {
      reason: 'late_date',
      code: 'LATE_DATE',
      detail:
        event.kind === 'bar'
          ? `bar ${event.bar.instrument} ${formatIsoDay(day)} opens a date earlier than the last closed date ${last}; dates close in order, so it cannot be processed now`
          : `end-of-day marker for ${formatIsoDay(day)} comes after the later date ${last} closed without it; dates close in order, so it cannot be processed now`,
    };
  }

  /** An event now in the archive (written by this member). */
  onEvent(event: MarketEvent, now: number): void {
    if (event.kind === 'bar') {
      const day = event.bar.date;
      if (day > this.lastClosed) this.openDate(day, now).progressAt = now;
      else if (this.processed.has(day) && this.bars.seesEveryBar) this.touched.add(day);
      return;
    }
    const { date: day, bar_count: count } = event.eod;
    if (day > this.lastClosed) {
      const date = this.openDate(day, now);
      if (date.expected !== null && date.expected !== count)
        this.options.logger.warn(
          `${this.options.region} ${formatIsoDay(day)}: a second end-of-day marker changes bar_count ${date.expected} -> ${count}; the last one wins`,
          { date: formatIsoDay(day) },
        );
      date.expected = count;
      date.progressAt = now;
      date.markerAt ??= now;
      this.pollBackoff = this.newPollBackoff();
      return;
    }
    const done = this.processed.get(day);
    if (done === undefined) return;
    // Shared: the member that ingested a corrected bar re-sends the marker. Single: a replayed marker carries no news.
    if (!this.bars.seesEveryBar) this.touched.add(day);
    else if (done.length !== count)
      this.options.logger.warn(
        `${this.options.region} ${formatIsoDay(day)}: end-of-day marker (bar_count ${count}) arrived after the date closed with ${done.length} bars; ignored`,
        { date: formatIsoDay(day), bar_count: count, closed_with: done.length },
      );
  }

  /**
   * When the marker of a closed date arrived (scheduler clock), once: the
   * caller measures marker → output with it after processing the date.
   */
  markerTime(day: number): number | undefined {
    const at = this.markerTimes.get(day);
    this.markerTimes.delete(day);
    return at;
  }

  /** Completion of a finite source: every open date may close now, complete or not. */
  expireAll(): void {
    this.flushing = true;
    for (const date of this.open.values()) date.expired = true;
  }

  /**
   * The dates to hand on now, in order: restatements of touched processed
   * dates whose bars changed, then open dates that completed or timed out.
   */
  async due(now: number): Promise<ClosedDate[]> {
    const out: ClosedDate[] = [];
    await this.restatements(out);
    const through = this.flushing ? Infinity : this.lastMarkedDay();
    if (through === -Infinity) return out;
    const counts = await this.bars.counts(this.lastClosed + 1, through);
    let progressed = false;
    for (const [day, count] of counts) {
      if (day <= this.lastClosed) continue;
      const date = this.openDate(day, now);
      if (count > date.count) {
        date.count = count;
        // Another member's bar is seen when polled; this member's own bars were timed by onEvent.
        if (!this.bars.seesEveryBar) date.progressAt = Math.max(date.progressAt, now);
        progressed = true;
      }
    }
    if (progressed) this.pollBackoff = this.newPollBackoff();
    const days = [...this.open.keys()].filter((d) => d <= through).sort((a, b) => a - b);
    this.expire(days, now);
    for (const day of days) {
      const date = this.open.get(day) as OpenDate;
      const complete = date.expected !== null && date.count >= date.expected;
      if (!complete && !date.expired) break;
      out.push(await this.close(date, complete));
    }
    return out;
  }

  /**
   * When `due` should run again without new events (ms, scheduler clock):
   * the earliest timeout of a marked date, and in polling mode (other
   * members write the bars) the next poll; null when nothing waits.
   */
  nextCheck(now: number): number | null {
    let at = Infinity;
    let waiting = false;
    let line = this.lineProgressAt;
    for (const day of [...this.open.keys()].sort((a, b) => a - b)) {
      const date = this.open.get(day) as OpenDate;
      line = Math.max(line, date.progressAt);
      if (date.expected === null) continue;
      waiting = true;
      at = Math.min(at, line + this.options.eodTimeoutMs);
    }
    if (!waiting) return null;
    if (!this.bars.seesEveryBar) at = Math.min(at, now + this.pollBackoff.delay());
    return at;
  }

  /** Flags every open date up to a marked date whose timeout passed. */
  private expire(days: readonly number[], now: number): void {
    let line = this.lineProgressAt;
    let expireThrough = -Infinity;
    for (const day of days) {
      const date = this.open.get(day) as OpenDate;
      line = Math.max(line, date.progressAt);
      if (date.expected !== null && now - line >= this.options.eodTimeoutMs) expireThrough = day;
    }
    for (const day of days) if (day <= expireThrough) (this.open.get(day) as OpenDate).expired = true;
  }

  private async close(date: OpenDate, complete: boolean): Promise<ClosedDate> {
    const { region, logger, eodTimeoutMs } = this.options;
    const archived = await this.bars.read(date.day);
    const closed = assembleDate(archived.buffer, {
      region,
      day: date.day,
      revision: 0,
      expectedCount: date.expected,
    });
    const iso = closed.date;
    if (date.expected !== null && closed.length > date.expected)
      logger.warn(
        `${region} ${iso} has ${closed.length} bars, more than the marker's bar_count ${date.expected}; all are kept`,
        { date: iso, received: closed.length, expected: date.expected },
      );
    if (!complete)
      logger.warn(
        date.expected === null
          ? `${region} ${iso} closed without an end-of-day marker (a later marker timed out); check the marker feed`
          : `${region} ${iso} closed after the ${eodTimeoutMs} ms timeout with ${closed.length} of ${date.expected} bars`,
        { date: iso, received: closed.length, expected: date.expected },
      );
    this.open.delete(date.day);
    if (date.markerAt !== null) this.markerTimes.set(date.day, date.markerAt);
    this.lastClosed = date.day;
    if (date.progressAt > this.lineProgressAt) this.lineProgressAt = date.progressAt;
    this.processed.set(date.day, { day: date.day, digest: closedDateDigest(closed), length: closed.length });
    this.bars.closed(date.day);
    return closed;
  }

  private async restatements(out: ClosedDate[]): Promise<void> {
    if (this.touched.size === 0) return;
    const days = [...this.touched].sort((a, b) => a - b);
    this.touched.clear();
    for (const day of days) {
      const before = this.processed.get(day) as ProcessedDate;
      const archived = await this.bars.read(day);
      const closed = assembleDate(archived.buffer, {
        region: this.options.region,
        day,
        revision: this.options.revisionOf(day) + 1,
        expectedCount: archived.expected,
      });
      const digest = closedDateDigest(closed);
      if (digest === before.digest) continue;
      this.processed.set(day, { day, digest, length: closed.length });
      out.push(closed);
    }
  }

  private openDate(day: number, now: number): OpenDate {
    let date = this.open.get(day);
    if (date === undefined) {
      date = { day, expected: null, count: 0, progressAt: now, expired: this.flushing, markerAt: null };
      this.open.set(day, date);
    }
    return date;
  }

  private lastMarkedDay(): number {
    let last = -Infinity;
    for (const date of this.open.values()) if (date.expected !== null && date.day > last) last = date.day;
    return last;
  }

  private newPollBackoff(): Backoff {
    return new Backoff({ ...this.pollOptions, factor: 1.5, jitter: 0 });
  }
}
