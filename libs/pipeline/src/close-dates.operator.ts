import { Observable, asyncScheduler } from 'rxjs';
import type { OperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import { formatIsoDay } from '@alphafeed/core';
import { Checkpoint, isCheckpoint } from './checkpoint';
import { DateBuffer } from './date-buffer';
import type { BarEvent, ClosedDate, DeadLetter, EndOfDayEvent, MarketEvent, Routed } from './events';
import { consoleLogger, type PipelineLogger } from './logger';

export interface CloseDatesOptions {
  /** Region this stream carries; events of another region are dead-lettered. Default: the first event's region. */
  readonly expectedRegion?: string;
  /**
   * How long a date with a marker may go without progress before it is closed
   * anyway, short of its `bar_count` bars (ms, > 0). Progress is a bar or a
   * marker of that date or of an earlier date (see below).
   */
  readonly eodTimeoutMs: number;
  /** Closed dates whose bars are kept for restatements (default 300). Older restatements are dead-lettered. */
  readonly restatementWindow?: number;
  /** Timer source; a TestScheduler in marble tests. Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  readonly logger?: PipelineLogger;
  /**
   * Industry of an instrument as of a day, for bars whose `industry` is null
   * (the industry comes from a separate table, SPEC §1). Without it such a bar
   * is dead-lettered (`invalid_bar`, `MISSING_INDUSTRY`).
   */
  readonly industryOf?: (instrument: string, day: number) => string | null;
  /**
   * Dates already processed before a restart (rebuild them from the stored
   * bars with `closedDateFromBars`, with their last revision). They seed the
   * restatement window and the order: bars redelivered by the bus for them
   * are no-ops when identical and restatements (revision + 1) otherwise,
   * instead of reopening the date. Events of dates after them that were
   * written ahead go in front of the live stream.
   */
  readonly initialClosed?: readonly ClosedDate[];
  /**
   * What completion does with open dates. `true` (default, for finite
   * sources such as files and tests): close them in order, the incomplete
   * ones flagged `timedOut`. `false` (for a graceful stop of a bus consumer,
   * whose open dates are written ahead and resume after the restart): leave
   * them unemitted, with one warning naming them.
   */
  readonly flushOnComplete?: boolean;
}

export const DEFAULT_RESTATEMENT_WINDOW = 300;

/** What `closeDates` accepts: plain market events, routed ones (dead letters pass through), checkpoints. */
export type CloseDatesInput = MarketEvent | Routed<MarketEvent> | Checkpoint;

interface OpenDate {
  readonly day: number;
  readonly buffer: DateBuffer;
  /** `bar_count` of the marker, null until the marker arrives. */
  expected: number | null;
  /** Set when a marker timer covering this date fired: close it, complete or not. */
  expired: boolean;
  /** Scheduler time of the last bar or marker of this date. */
  progressAt: number;
  timer: Subscription | null;
}

/**
 * Turns bars and end-of-day markers of one region into closed dates (SPEC §8).
 *
 * - A date closes when its marker has arrived and `bar_count` distinct
 *   instruments have (a duplicate (date, instrument) overwrites, last value
 *   wins, and is not counted twice). More distinct bars than `bar_count`
 *   close the date too, with a warning.
 * - **Order rule**: dates are emitted in date order. A complete date waits
 *   while an earlier date is still open (has bars or a marker). The wait is
 *   bounded: a date whose marker arrived times out `eodTimeoutMs` after the
 *   last progress on it, i.e. the last bar or marker of that date or of an
 *   earlier date (the line ahead of it is still moving); then that
 *   date and every earlier open date are closed, complete or not, flagged
 *   `timedOut: true` with a warning. So a backfill whose markers (one
 *   partition) run ahead of its bars does not close dates early while their
 *   bars, or the bars ahead of them, keep arriving; a date whose bars stopped
 *   coming closes `eodTimeoutMs` after the last one. Markers are published in date
 *   order on one partition, so an earlier date still missing its marker when a
 *   later marker times out has lost its marker; it is closed with
 *   `expectedCount: null`.
 * - **Restatements**: a bar for an already closed date that differs from the
 *   kept bar (or adds an instrument) is applied to a copy of that date; the
 *   date is re-emitted with `revision + 1` and `restated: true`. Restatements
 *   are coalesced per date and emitted before the next checkpoint, the next
 *   marker, or completion, so a vendor correction of a whole date costs one
 *   re-emission, not one per bar. An identical bar is a no-op (replaying the
 *   same input twice leaves the same state). The bars of the last
 *   `restatementWindow` closed dates are kept for this; a bar for a closed
 *   date older than that becomes a dead letter `restatement_too_old`, and a
 *   bar for a never-seen date earlier than the last closed one a dead letter
 *   `late_date` (emitting it would break the date order).
 * - Dead letters arriving from upstream and checkpoints pass through in order.
 * - On completion the open dates are closed in order (those short of their
 *   count flagged `timedOut`), since no more bars can come; or, with
 *   `flushOnComplete: false` (graceful stop of a consumer), left unemitted.
 *
 * - `initialClosed` seeds the window and the order after a restart.
 *
 * Memory: an open date holds its bars (7 float64 per bar); once closed only
 * the emitted ClosedDate of the last `restatementWindow` dates is kept
 * (about 60 bytes per bar: 300 dates x 3,000 instruments ~ 55 MB). Timers and
 * all state are released on completion, error and unsubscribe.
 */
export function closeDates(
  options: CloseDatesOptions,
): OperatorFunction<CloseDatesInput, Routed<ClosedDate> | Checkpoint> {
  const { eodTimeoutMs } = options;
  if (!(eodTimeoutMs > 0) || !Number.isFinite(eodTimeoutMs)) {
    throw new RangeError(`closeDates: eodTimeoutMs must be a finite number > 0, got ${eodTimeoutMs}`);
  }
  const window = options.restatementWindow ?? DEFAULT_RESTATEMENT_WINDOW;
  if (!Number.isInteger(window) || window < 0) {
    throw new RangeError(`closeDates: restatementWindow must be an integer >= 0, got ${window}`);
  }
  const scheduler = options.scheduler ?? asyncScheduler;
  const logger = options.logger ?? consoleLogger;

  return (source) =>
    new Observable<Routed<ClosedDate> | Checkpoint>((subscriber) => {
      let region = options.expectedRegion;
      const open = new Map<number, OpenDate>();
      /** Closed dates kept for restatements, by day; `keptDays` ascending (dates close in order). */
      const kept = new Map<number, ClosedDate>();
      const keptDays: number[] = [];
      /** Restated copies not emitted yet. */
      const drafts = new Map<number, { readonly base: ClosedDate; readonly buffer: DateBuffer }>();
      let lastClosedDay = -Infinity;
      /** Last progress (bar or marker) of the dates closed so far: every open date comes after them. */
      let lineProgressAt = -Infinity;

      const emit = (value: ClosedDate): void => subscriber.next({ kind: 'ok', value });
      const dead = (letter: DeadLetter): void => subscriber.next({ kind: 'dead', letter });

      const earliestOpen = (): OpenDate | undefined => {
        let head: OpenDate | undefined;
        for (const date of open.values()) if (head === undefined || date.day < head.day) head = date;
        return head;
      };

      const keep = (closed: ClosedDate): void => {
        if (window === 0) return;
        if (!kept.has(closed.day)) keptDays.push(closed.day);
        kept.set(closed.day, closed);
        while (keptDays.length > window) kept.delete(keptDays.shift() as number);
      };

      for (const closed of [...(options.initialClosed ?? [])].sort((a, b) => a.day - b.day)) {
        if (region === undefined) region = closed.region;
        keep(closed);
        lastClosedDay = Math.max(lastClosedDay, closed.day);
      }

      /** Emits every date at the head of the line that may close. Stops when the subscriber goes away. */
      const drain = (): void => {
        for (;;) {
          if (subscriber.closed) return;
          const head = earliestOpen();
          if (head === undefined) return;
          const complete = head.expected !== null && head.buffer.size >= head.expected;
          if (!complete && !head.expired) return;
          open.delete(head.day);
          head.timer?.unsubscribe();
          if (head.progressAt > lineProgressAt) lineProgressAt = head.progressAt;
          lastClosedDay = head.day;
          const date = formatIsoDay(head.day);
          if (head.expected !== null && head.buffer.size > head.expected) {
            logger.warn(
              `closeDates: ${region} ${date} has ${head.buffer.size} bars, more than the marker's bar_count ${head.expected}; all are kept`,
              {
                region,
                date,
                received: head.buffer.size,
                expected: head.expected,
              },
            );
          }
          if (!complete) {
            logger.warn(
              head.expected === null
                ? `closeDates: ${region} ${date} closed without an end-of-day marker (a later marker timed out); check the marker feed`
                : `closeDates: ${region} ${date} closed after the ${eodTimeoutMs} ms timeout with ${head.buffer.size} of ${head.expected} bars`,
              { region, date, received: head.buffer.size, expected: head.expected },
            );
          }
          const closed = head.buffer.toClosed({
            region: region as string,
            date,
            day: head.day,
            revision: 0,
            restated: false,
            timedOut: !complete,
            expectedCount: head.expected,
          });
          keep(closed);
          emit(closed);
        }
      };

      const flushRestatements = (): void => {
        if (drafts.size === 0) return;
        const days = [...drafts.keys()].sort((a, b) => a - b);
        for (const day of days) {
          if (subscriber.closed) return;
          const { base: previous, buffer: draft } = drafts.get(day) as {
            base: ClosedDate;
            buffer: DateBuffer;
          };
          drafts.delete(day);
          const closed = draft.toClosed({
            region: previous.region,
            date: previous.date,
            day,
            revision: previous.revision + 1,
            restated: true,
            timedOut: previous.expectedCount === null || draft.size < previous.expectedCount,
            expectedCount: previous.expectedCount,
          });
          // The window may have moved past the date since the draft began: emit it all the same.
          if (kept.has(day)) kept.set(day, closed);
          emit(closed);
        }
      };

      const openDate = (day: number): OpenDate => {
        let date = open.get(day);
        if (date === undefined) {
          date = {
            day,
            buffer: new DateBuffer(),
            expected: null,
            expired: false,
            progressAt: scheduler.now(),
            timer: null,
          };
          open.set(day, date);
        }
        return date;
      };

      /**
       * A marker's timer: when nothing progressed on its date or an earlier
       * date for `eodTimeoutMs`, that date and every earlier open date close now;
       * otherwise the timer is set again for the rest of the timeout from the
       * last progress (one timer per date, not one per bar).
       */
      const expire = (day: number): void => {
        try {
          const date = open.get(day);
          if (date === undefined) return;
          let last = lineProgressAt;
          for (const d of open.values()) if (d.day <= day && d.progressAt > last) last = d.progressAt;
          const remaining = last + eodTimeoutMs - scheduler.now();
          if (remaining > 0) {
            date.timer = scheduler.schedule(() => expire(day), remaining);
            return;
          }
          for (const d of open.values()) if (d.day <= day) d.expired = true;
          drain();
        } catch (error) {
          subscriber.error(error);
        }
      };

      /** Checks region and date shared by bars and markers; returns the day or NaN after dead-lettering. */
      const admit = (
        event: MarketEvent,
        eventRegion: string,
        day: number,
        source: DeadLetter['source'],
      ): number => {
        if (region === undefined) region = eventRegion;
        if (eventRegion !== region) {
          dead({
            reason: 'unknown_region',
            code: 'REGION_MISMATCH',
            detail: `region ${JSON.stringify(eventRegion)} on a stream of region ${JSON.stringify(region)}; route each region to its own pipeline`,
            source,
            event,
          });
          return NaN;
        }
        if (!Number.isSafeInteger(day)) {
          dead({
            reason: event.kind === 'bar' ? 'invalid_bar' : 'invalid_eod',
            code: 'INVALID_DATE',
            detail: `date ${day} is not a day number (integer days since 1970-01-01)`,
            source,
            event,
          });
          return NaN;
        }
        return day;
      };

      const onBar = (event: MarketEvent, bar: BarEvent, source: DeadLetter['source']): void => {
        const day = admit(event, bar.region, bar.date, source);
        if (Number.isNaN(day)) return;
        const industry = bar.industry ?? options.industryOf?.(bar.instrument, day) ?? null;
        if (industry === null || industry === '') {
          dead({
            reason: 'invalid_bar',
            code: 'MISSING_INDUSTRY',
            detail: `bar ${bar.instrument} ${formatIsoDay(day)} has no industry and none is known for it (SPEC §1 requires one)`,
            source,
            event,
          });
          return;
        }
        const pending = open.get(day);
        if (pending !== undefined) {
          pending.progressAt = scheduler.now();
          pending.buffer.upsert(bar, industry);
          if (pending.expected !== null && pending.buffer.size >= pending.expected) drain();
          return;
        }
        if (day > lastClosedDay) {
          openDate(day).buffer.upsert(bar, industry);
          return;
        }
        const draft = drafts.get(day);
        if (draft !== undefined) {
          draft.buffer.upsert(bar, industry);
          return;
        }
        const closed = kept.get(day);
        if (closed !== undefined) {
          const buffer = DateBuffer.fromClosed(closed);
          if (buffer.upsert(bar, industry) !== 'unchanged') drafts.set(day, { base: closed, buffer });
          return;
        }
        if (keptDays.length === 0 || day < keptDays[0]) {
          dead({
            reason: 'restatement_too_old',
            code: 'RESTATEMENT_TOO_OLD',
            detail: `bar ${bar.instrument} ${formatIsoDay(day)} restates a date older than the ${window} closed dates kept for restatements; restate it with a batch recompute or raise restatementWindow`,
            source,
            event,
          });
        } else {
          dead({
            reason: 'late_date',
            code: 'LATE_DATE',
            detail: `bar ${bar.instrument} ${formatIsoDay(day)} opens a date earlier than the last closed date ${formatIsoDay(lastClosedDay)}; dates are emitted in order, so it cannot be processed now`,
            source,
            event,
          });
        }
      };

      const onEod = (event: MarketEvent, eod: EndOfDayEvent, source: DeadLetter['source']): void => {
        const day = admit(event, eod.region, eod.date, source);
        if (Number.isNaN(day)) return;
        const isoDate = formatIsoDay(day);
        if (!Number.isInteger(eod.bar_count) || eod.bar_count < 0) {
          dead({
            reason: 'invalid_eod',
            code: 'INVALID_BAR_COUNT',
            detail: `bar_count ${eod.bar_count} is not an integer >= 0`,
            source,
            event,
          });
          return;
        }
        // A marker ends a trading day on the feed: emit pending restatements first.
        flushRestatements();
        if (day <= lastClosedDay && !open.has(day)) {
          const closed = kept.get(day);
          // A replayed marker of a closed date is normal; only a contradicting one is worth a warning.
          if (closed === undefined || closed.length !== eod.bar_count) {
            logger.warn(
              `closeDates: end-of-day marker for ${region} ${isoDate} (bar_count ${eod.bar_count}) arrived after the date closed; ignored`,
              {
                region,
                date: isoDate,
                barCount: eod.bar_count,
                closedWith: closed?.length ?? null,
              },
            );
          }
          return;
        }
        const date = openDate(day);
        if (date.expected !== null && date.expected !== eod.bar_count) {
          logger.warn(
            `closeDates: second end-of-day marker for ${region} ${isoDate} changes bar_count ${date.expected} -> ${eod.bar_count}; the last one wins`,
            {
              region,
              date: isoDate,
            },
          );
        }
        date.expected = eod.bar_count;
        date.progressAt = scheduler.now();
        if (date.timer === null) date.timer = scheduler.schedule(() => expire(day), eodTimeoutMs);
        drain();
      };

      const release = (): void => {
        for (const date of open.values()) date.timer?.unsubscribe();
        open.clear();
        kept.clear();
        keptDays.length = 0;
        drafts.clear();
      };

      const subscription = source.subscribe({
        next(input) {
          try {
            if (isCheckpoint(input)) {
              flushRestatements();
              subscriber.next(input);
              return;
            }
            let event: MarketEvent;
            let origin: DeadLetter['source'];
            if (input.kind === 'dead') {
              subscriber.next(input);
              return;
            } else if (input.kind === 'ok') {
              event = input.value;
              origin = input.source;
            } else {
              event = input;
            }
            if (event.kind === 'bar') onBar(event, event.bar, origin);
            else onEod(event, event.eod, origin);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error(error) {
          release();
          subscriber.error(error);
        },
        complete() {
          flushRestatements();
          if (options.flushOnComplete ?? true) {
            for (const date of open.values()) date.expired = true;
            drain();
          } else if (open.size > 0) {
            const dates = [...open.keys()].sort((a, b) => a - b).map(formatIsoDay);
            logger.warn(
              `closeDates: stopping with ${dates.length} open date(s) ${dates.join(', ')}; they resume from the written-ahead events`,
              { region, dates },
            );
          }
          release();
          subscriber.complete();
        },
      });

      return () => {
        subscription.unsubscribe();
        release();
      };
    });
}
