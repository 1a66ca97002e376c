import { EMPTY, Subject, from, map, throwError, concat, NEVER } from 'rxjs';
import type { SchedulerAction, SchedulerLike, Subscription } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { formatIsoDay } from '@alphafeed/core';
import { Checkpoint } from './checkpoint';
import { closeDates, type CloseDatesInput } from './close-dates.operator';
import type { ClosedDate, DeadLetter, Routed } from './events';
import { barEvent, eodEvent, recordingLogger, summary } from './fixtures.testing';

type Out = Routed<ClosedDate> | Checkpoint;

const D1 = '2024-01-02';
const D2 = '2024-01-03';
const D3 = '2024-01-04';

/** Runs the operator on a Subject so the test controls time and completion. */
function harness(options: Partial<Parameters<typeof closeDates>[0]> = {}) {
  const logger = recordingLogger();
  const input = new Subject<CloseDatesInput>();
  const out: Out[] = [];
  let completed = false;
  let error: unknown = undefined;
  const subscription = input.pipe(closeDates({ eodTimeoutMs: 1000, logger, ...options })).subscribe({
    next: (value) => out.push(value),
    error: (e) => (error = e),
    complete: () => (completed = true),
  });
  const closed = () =>
    out
      .filter((o): o is { kind: 'ok'; value: ClosedDate } => !(o instanceof Checkpoint) && o.kind === 'ok')
      .map((o) => summary(o.value));
  const dead = () =>
    out
      .filter(
        (o): o is { kind: 'dead'; letter: DeadLetter } => !(o instanceof Checkpoint) && o.kind === 'dead',
      )
      .map((o) => o.letter);
  return { input, out, logger, subscription, closed, dead, completed: () => completed, error: () => error };
}

/** A scheduler wrapper that knows how many timers are still pending (scheduled, not run, not cancelled). */
function countingScheduler(inner: SchedulerLike) {
  const pending = new Set<Subscription>();
  const scheduler: SchedulerLike = {
    now: () => inner.now(),
    schedule<T>(
      work: (this: SchedulerAction<T>, state?: T) => void,
      delay?: number,
      state?: T,
    ): Subscription {
      const sub: Subscription = inner.schedule(
        function (this: SchedulerAction<T>, s?: T) {
          pending.delete(sub);
          work.call(this, s);
        },
        delay,
        state,
      );
      pending.add(sub);
      sub.add(() => pending.delete(sub));
      return sub;
    },
  };
  return { scheduler, pending };
}

describe('closeDates', () => {
  it('completes without emitting on an empty source', () => {
    const out: Out[] = [];
    let completed = false;
    EMPTY.pipe(closeDates({ eodTimeoutMs: 10 })).subscribe({
      next: (v) => out.push(v),
      complete: () => (completed = true),
    });
    expect(out).toEqual([]);
    expect(completed).toBe(true);
  });

  it('rejects a non-positive timeout and a negative window at construction', () => {
    expect(() => closeDates({ eodTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => closeDates({ eodTimeoutMs: 10, restatementWindow: -1 })).toThrow(RangeError);
  });

  it('closes a date when the marker and bar_count distinct bars have arrived, rows sorted by instrument', () => {
    const h = harness();
    h.input.next(barEvent(D1, 'MSFT', 30, { amount: 5, industry: 'Software' }));
    h.input.next(barEvent(D1, 'AAPL', 20));
    h.input.next(eodEvent(D1, 3));
    expect(h.closed()).toEqual([]);
    h.input.next(barEvent(D1, 'GOOG', 25, { shares_out: 7 }));
    expect(h.closed()).toEqual([{ date: D1, revision: 0, timedOut: false, rows: 'AAPL=20,GOOG=25,MSFT=30' }]);
    const closed = (h.out[0] as { value: ClosedDate }).value;
    expect(closed.region).toBe('US');
    expect(closed.day).toBe(Date.UTC(2024, 0, 2) / 86_400_000);
    expect(closed.expectedCount).toBe(3);
    expect(closed.restated).toBe(false);
    expect(closed.industries).toEqual(['Software', 'Tech']);
    expect(Array.from(closed.industry)).toEqual([1, 1, 0]);
    expect(Array.from(closed.high)).toEqual([21, 26, 31]);
    expect(Array.from(closed.amount)).toEqual([NaN, NaN, 5]);
    expect(Array.from(closed.sharesOut)).toEqual([NaN, 7, NaN]);
    expect(h.completed()).toBe(false);
  });

  it('closes with a warning when more distinct bars than bar_count arrived before the marker', () => {
    const h = harness();
    h.input.next(barEvent(D1, 'A'));
    h.input.next(barEvent(D1, 'B'));
    h.input.next(eodEvent(D1, 1));
    expect(h.closed()).toEqual([{ date: D1, revision: 0, timedOut: false, rows: 'A=10,B=10' }]);
    expect(h.logger.warnings).toEqual([expect.stringContaining('more than the marker')]);
  });

  it('closes on the marker when the bars came first, and on a zero-bar marker at once', () => {
    const h = harness();
    h.input.next(barEvent(D1, 'A'));
    h.input.next(barEvent(D1, 'B'));
    h.input.next(eodEvent(D1, 2));
    h.input.next(eodEvent(D2, 0));
    expect(h.closed().map((c) => [c.date, c.rows])).toEqual([
      [D1, 'A=10,B=10'],
      [D2, ''],
    ]);
  });

  it('counts a duplicate (date, instrument) once, last value wins', () => {
    const h = harness();
    h.input.next(eodEvent(D1, 2));
    h.input.next(barEvent(D1, 'A', 10));
    h.input.next(barEvent(D1, 'A', 11));
    expect(h.closed()).toEqual([]);
    h.input.next(barEvent(D1, 'B', 12));
    expect(h.closed()).toEqual([{ date: D1, revision: 0, timedOut: false, rows: 'A=11,B=12' }]);
  });

  it('emits in date order: a later complete date waits for the earlier one', () => {
    const h = harness();
    h.input.next(barEvent(D1, 'A'));
    h.input.next(eodEvent(D1, 2));
    h.input.next(barEvent(D2, 'A', 20));
    h.input.next(eodEvent(D2, 1));
    expect(h.closed()).toEqual([]);
    h.input.next(barEvent(D1, 'B'));
    expect(h.closed().map((c) => c.date)).toEqual([D1, D2]);
  });

  it('passes checkpoints and upstream dead letters through in order, after what preceded them produced', () => {
    const h = harness();
    const cp = new Checkpoint(() => undefined);
    const letter: DeadLetter = { reason: 'undecodable', code: 'DECODE_FAILED', detail: 'x' };
    h.input.next({ kind: 'ok', value: barEvent(D1, 'A') });
    h.input.next({ kind: 'dead', letter });
    h.input.next({ kind: 'ok', value: eodEvent(D1, 1) });
    h.input.next(cp);
    expect(h.out.map((o) => (o instanceof Checkpoint ? 'cp' : o.kind))).toEqual(['dead', 'ok', 'cp']);
    expect(h.out[0]).toEqual({ kind: 'dead', letter });
  });

  describe('restatements', () => {
    it('re-emits a closed date with revision + 1 on a changed bar, coalesced until the next checkpoint', () => {
      const h = harness();
      h.input.next(barEvent(D1, 'A', 10));
      h.input.next(barEvent(D1, 'B', 10));
      h.input.next(eodEvent(D1, 2));
      h.input.next(barEvent(D1, 'A', 11));
      h.input.next(barEvent(D1, 'B', 12));
      expect(h.closed()).toHaveLength(1);
      h.input.next(new Checkpoint(() => undefined));
      expect(h.closed()[1]).toEqual({ date: D1, revision: 1, timedOut: false, rows: 'A=11,B=12' });
      const restated = (h.out[1] as { value: ClosedDate }).value;
      expect(restated.restated).toBe(true);
      h.input.next(barEvent(D1, 'C', 13));
      h.input.next(eodEvent(D2, 0));
      expect(h.closed().slice(2)).toEqual([
        { date: D1, revision: 2, timedOut: false, rows: 'A=11,B=12,C=13' },
        { date: D2, revision: 0, timedOut: false, rows: '' },
      ]);
    });

    it('ignores a bar identical to the closed one (replaying the same input changes nothing)', () => {
      const h = harness();
      h.input.next(barEvent(D1, 'A', 10));
      h.input.next(eodEvent(D1, 1));
      h.input.next(barEvent(D1, 'A', 10));
      h.input.next(eodEvent(D1, 1));
      h.input.complete();
      expect(h.closed()).toHaveLength(1);
      expect(h.logger.warnings).toEqual([]);
      expect(h.dead()).toEqual([]);
    });

    it('flushes pending restatements on completion', () => {
      const h = harness();
      h.input.next(barEvent(D1, 'A', 10));
      h.input.next(eodEvent(D1, 1));
      h.input.next(barEvent(D1, 'A', 9));
      h.input.complete();
      expect(h.closed().map((c) => c.revision)).toEqual([0, 1]);
      expect(h.completed()).toBe(true);
    });

    it('dead-letters a restatement older than the window and a never-seen date before the last closed one', () => {
      const h = harness({ restatementWindow: 2 });
      for (const date of [D1, '2024-01-05', '2024-01-08']) {
        h.input.next(barEvent(date, 'A'));
        h.input.next(eodEvent(date, 1));
      }
      h.input.next(barEvent(D1, 'A', 99)); // D1 fell out of the 2-date window
      h.input.next(barEvent('2024-01-05', 'A', 99)); // still kept: a restatement
      h.input.next(barEvent('2024-01-06', 'A', 99)); // never opened, before the last closed date
      h.input.next(new Checkpoint(() => undefined));
      expect(
        h
          .dead()
          .map((l) => [l.reason, l.code, l.event?.kind === 'bar' ? formatIsoDay(l.event.bar.date) : null]),
      ).toEqual([
        ['restatement_too_old', 'RESTATEMENT_TOO_OLD', D1],
        ['late_date', 'LATE_DATE', '2024-01-06'],
      ]);
      expect(h.closed().slice(3)).toEqual([
        { date: '2024-01-05', revision: 1, timedOut: false, rows: 'A=99' },
      ]);
    });

    it('still emits a restatement whose date left the window before the flush', () => {
      const h = harness({ restatementWindow: 1 });
      h.input.next(barEvent(D1, 'A', 10));
      h.input.next(eodEvent(D1, 1));
      h.input.next(eodEvent(D2, 1));
      h.input.next(barEvent(D1, 'A', 11)); // restates D1, the one kept date
      h.input.next(barEvent(D2, 'A', 20)); // closes D2: D1 leaves the window
      h.input.next(barEvent(D1, 'B', 12)); // joins the pending restatement
      h.input.next(new Checkpoint(() => undefined));
      expect(h.closed()).toEqual([
        { date: D1, revision: 0, timedOut: false, rows: 'A=10' },
        { date: D2, revision: 0, timedOut: false, rows: 'A=20' },
        { date: D1, revision: 1, timedOut: false, rows: 'A=11,B=12' },
      ]);
      h.input.next(barEvent(D1, 'A', 13));
      expect(h.dead().map((l) => l.code)).toEqual(['RESTATEMENT_TOO_OLD']);
      expect(h.error()).toBeUndefined();
    });

    it('keeps nothing with a zero window: every restatement is too old', () => {
      const h = harness({ restatementWindow: 0 });
      h.input.next(barEvent(D1, 'A'));
      h.input.next(eodEvent(D1, 1));
      h.input.next(barEvent(D1, 'A', 5));
      expect(h.dead().map((l) => l.reason)).toEqual(['restatement_too_old']);
    });
  });

  it('applies the adjustment factor to prices and volume (SPEC §1), not to amount and shares_out', () => {
    const h = harness();
    h.input.next(barEvent(D1, 'A', 10, { factor: 0.5, amount: 100, shares_out: 40 }));
    h.input.next(eodEvent(D1, 1));
    const closed = (h.out[0] as { value: ClosedDate }).value;
    expect([
      closed.open[0],
      closed.high[0],
      closed.low[0],
      closed.close[0],
      closed.volume[0],
      closed.amount[0],
      closed.sharesOut[0],
    ]).toEqual([5, 5.5, 4.5, 5, 2000, 100, 40]);
  });

  it('takes a null industry from industryOf, and dead-letters the bar when nobody knows it', () => {
    const h = harness({ industryOf: (instrument) => (instrument === 'A' ? 'Banks' : null) });
    h.input.next(barEvent(D1, 'A', 10, { industry: null }));
    h.input.next(barEvent(D1, 'B', 10, { industry: null }));
    h.input.next(eodEvent(D1, 1));
    expect(h.dead().map((l) => [l.reason, l.code])).toEqual([['invalid_bar', 'MISSING_INDUSTRY']]);
    expect((h.out[1] as { value: ClosedDate }).value.industries).toEqual(['Banks']);
  });

  describe('dead letters and warnings', () => {
    it('dead-letters events of another region and invalid dates or counts', () => {
      const h = harness({ expectedRegion: 'US' });
      h.input.next(barEvent(D1, 'A', 10, { region: 'CN' }));
      h.input.next(eodEvent(D1, 1, 'CN'));
      h.input.next(barEvent('2024-02-30', 'A'));
      h.input.next(eodEvent(D1, -1));
      h.input.next(eodEvent(D1, 1.5));
      expect(h.dead().map((l) => [l.reason, l.code])).toEqual([
        ['unknown_region', 'REGION_MISMATCH'],
        ['unknown_region', 'REGION_MISMATCH'],
        ['invalid_bar', 'INVALID_DATE'],
        ['invalid_eod', 'INVALID_BAR_COUNT'],
        ['invalid_eod', 'INVALID_BAR_COUNT'],
      ]);
      expect(h.closed()).toEqual([]);
    });

    it('locks onto the first region when none is configured', () => {
      const h = harness();
      h.input.next(barEvent(D1, 'A', 10, { region: 'CN' }));
      h.input.next(barEvent(D1, 'B', 10, { region: 'US' }));
      expect(h.dead().map((l) => l.detail)).toEqual([
        expect.stringContaining('region "US" on a stream of region "CN"'),
      ]);
    });

    it('keeps the source message on its dead letters', () => {
      const h = harness({ restatementWindow: 0 });
      const source = {
        topic: 'bars.daily.v1',
        partition: 3,
        offset: '42',
        key: null,
        value: Buffer.from('x'),
      };
      h.input.next(barEvent(D1, 'A'));
      h.input.next(eodEvent(D1, 1));
      h.input.next({ kind: 'ok', value: barEvent(D1, 'A', 3), source });
      expect(h.dead()[0].source).toBe(source);
    });

    it('warns about a marker that contradicts a closed date, not about a replayed one', () => {
      const h = harness();
      h.input.next(barEvent(D1, 'A'));
      h.input.next(eodEvent(D1, 1));
      h.input.next(eodEvent(D1, 1));
      expect(h.logger.warnings).toEqual([]);
      h.input.next(eodEvent(D1, 4));
      expect(h.logger.warnings).toEqual([expect.stringContaining('arrived after the date closed')]);
    });
  });

  it('closes the open dates in order on completion, flagging the incomplete ones', () => {
    const h = harness();
    h.input.next(barEvent(D1, 'A'));
    h.input.next(eodEvent(D1, 3));
    h.input.next(barEvent(D2, 'A'));
    h.input.next(eodEvent(D2, 1));
    h.input.next(barEvent(D3, 'A'));
    expect(h.closed()).toEqual([]);
    h.input.complete();
    expect(h.closed().map((c) => [c.date, c.timedOut])).toEqual([
      [D1, true],
      [D2, false],
      [D3, true],
    ]);
    expect(h.logger.warnings).toHaveLength(2);
    expect(h.completed()).toBe(true);
  });

  it('leaves the open dates unemitted on completion with flushOnComplete: false (graceful stop)', () => {
    const h = harness({ flushOnComplete: false });
    h.input.next(barEvent(D1, 'A'));
    h.input.next(eodEvent(D1, 1));
    h.input.next(barEvent(D1, 'A', 11)); // pending restatement: complete data, still emitted
    h.input.next(barEvent(D2, 'A'));
    h.input.next(eodEvent(D3, 2));
    h.input.complete();
    expect(h.closed().map((c) => [c.date, c.revision])).toEqual([
      [D1, 0],
      [D1, 1],
    ]);
    expect(h.logger.warnings).toEqual([
      'closeDates: stopping with 2 open date(s) 2024-01-03, 2024-01-04; they resume from the written-ahead events',
    ]);
    expect(h.completed()).toBe(true);
  });

  it('propagates a source error and emits nothing after it', () => {
    const logger = recordingLogger();
    const out: Out[] = [];
    let error: unknown;
    const boom = new Error('broker gone');
    concat(
      from([barEvent(D1, 'A'), eodEvent(D1, 2)]),
      throwError(() => boom),
    )
      .pipe(closeDates({ eodTimeoutMs: 10, logger }))
      .subscribe({ next: (v) => out.push(v), error: (e) => (error = e) });
    expect(error).toBe(boom);
    expect(out).toEqual([]);
  });

  describe('timing (marble tests)', () => {
    const newScheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const summarize = map((o: Out) =>
      o instanceof Checkpoint ? 'cp' : o.kind === 'ok' ? summary(o.value) : o.letter.code,
    );

    it('closes an incomplete date eodTimeoutMs after its last progress, with a warning, on a never-completing source', () => {
      const logger = recordingLogger();
      newScheduler().run(({ cold, expectObservable }) => {
        const source = cold<CloseDatesInput>('a 9ms b 9ms c', {
          a: barEvent(D1, 'A'),
          b: eodEvent(D1, 3),
          c: barEvent(D1, 'B'),
        });
        const result = source.pipe(closeDates({ eodTimeoutMs: 100, logger }), summarize);
        // marker at frame 10, last bar at 20, timeout at 120; no completion, the source never completes
        expectObservable(result).toBe('120ms x', {
          x: { date: D1, revision: 0, timedOut: true, rows: 'A=10,B=10' },
        });
      });
      expect(logger.warnings).toEqual([
        expect.stringMatching(/2024-01-02 closed after the 100 ms timeout with 2 of 3 bars/),
      ]);
    });

    it('cancels the timer of a date that completed in time', () => {
      const logger = recordingLogger();
      const scheduler = newScheduler();
      const counted = countingScheduler(scheduler);
      scheduler.run(({ cold, expectObservable, flush }) => {
        const source = cold<CloseDatesInput>('a b 8ms c', {
          a: barEvent(D1, 'A'),
          b: eodEvent(D1, 2),
          c: barEvent(D1, 'B'),
        });
        const result = source.pipe(
          closeDates({ eodTimeoutMs: 100, logger, scheduler: counted.scheduler }),
          summarize,
        );
        expectObservable(result).toBe('10ms x', {
          x: { date: D1, revision: 0, timedOut: false, rows: 'A=10,B=10' },
        });
        // Look before the 100 ms timer would have fired on its own.
        let pendingAt50 = -1;
        scheduler.schedule(() => void (pendingAt50 = counted.pending.size), 50);
        flush();
        expect(pendingAt50).toBe(0);
      });
      expect(logger.warnings).toEqual([]);
    });

    it('closes a date whose marker came first eodTimeoutMs after its last bar, not after the marker', () => {
      const logger = recordingLogger();
      newScheduler().run(({ cold, expectObservable }) => {
        // Marker at 0, bars trickling in every 60 ms (each within the 100 ms timeout of the previous), the third never comes.
        const source = cold<CloseDatesInput>('m 59ms a 59ms b', {
          m: eodEvent(D1, 3),
          a: barEvent(D1, 'A'),
          b: barEvent(D1, 'B'),
        });
        expectObservable(source.pipe(closeDates({ eodTimeoutMs: 100, logger }), summarize)).toBe('220ms x', {
          x: { date: D1, revision: 0, timedOut: true, rows: 'A=10,B=10' },
        });
      });
      expect(logger.warnings).toEqual([
        expect.stringMatching(/2024-01-02 closed after the 100 ms timeout with 2 of 3 bars/),
      ]);
    });

    it('backfill: markers running ahead of the bars close no date early while the bars ahead of it keep arriving', () => {
      const logger = recordingLogger();
      newScheduler().run(({ cold, expectObservable }) => {
        // Both markers at once (the marker partition is ahead); D1's bars arrive slowly (at 83 and 163), D2's only after
        // D1's (243): each gap is below the timeout. Under a marker-arrival timeout both would close at 100, short of bars.
        const source = cold<CloseDatesInput>('(mn) 79ms a 79ms b 79ms c', {
          m: eodEvent(D1, 2),
          n: eodEvent(D2, 1),
          a: barEvent(D1, 'A'),
          b: barEvent(D1, 'B'),
          c: barEvent(D2, 'A', 20),
        });
        expectObservable(source.pipe(closeDates({ eodTimeoutMs: 100, logger }), summarize)).toBe(
          '163ms x 79ms y',
          {
            x: { date: D1, revision: 0, timedOut: false, rows: 'A=10,B=10' },
            y: { date: D2, revision: 0, timedOut: false, rows: 'A=20' },
          },
        );
      });
      expect(logger.warnings).toEqual([]);
    });

    it('bars of a later date do not hold back the timeout of an earlier stuck date', () => {
      const logger = recordingLogger();
      newScheduler().run(({ cold, expectObservable }) => {
        // D1 misses a bar; D2's bars keep flowing (at 43 and 83): D1 closes 100 ms after its own last progress, D2 on its marker.
        const source = cold<CloseDatesInput>('(ma) 39ms b 39ms c 39ms d', {
          m: eodEvent(D1, 2),
          a: barEvent(D1, 'A'),
          b: barEvent(D2, 'A', 20),
          c: barEvent(D2, 'B', 20),
          d: eodEvent(D2, 2),
        });
        expectObservable(source.pipe(closeDates({ eodTimeoutMs: 100, logger }), summarize)).toBe(
          '100ms x 22ms y',
          {
            x: { date: D1, revision: 0, timedOut: true, rows: 'A=10' },
            y: { date: D2, revision: 0, timedOut: false, rows: 'A=20,B=20' },
          },
        );
      });
      expect(logger.warnings).toEqual([
        expect.stringMatching(/2024-01-02 closed after the 100 ms timeout with 1 of 2 bars/),
      ]);
    });

    it('bounds the wait of a later complete date: the earlier one closes when the later marker times out', () => {
      const logger = recordingLogger();
      newScheduler().run(({ cold, expectObservable }) => {
        // D1 has a bar but its marker never comes; D2 is complete at frame 20.
        const source = cold<CloseDatesInput>('a 9ms b 9ms c', {
          a: barEvent(D1, 'A'),
          b: barEvent(D2, 'A', 20),
          c: eodEvent(D2, 1),
        });
        const result = source.pipe(closeDates({ eodTimeoutMs: 50, logger }), summarize);
        expectObservable(result).toBe('70ms (xy)', {
          x: { date: D1, revision: 0, timedOut: true, rows: 'A=10' },
          y: { date: D2, revision: 0, timedOut: false, rows: 'A=20' },
        });
      });
      expect(logger.warnings).toEqual([
        expect.stringContaining('2024-01-02 closed without an end-of-day marker'),
      ]);
    });

    it('releases its timers on early unsubscribe: nothing is emitted or logged later', () => {
      const logger = recordingLogger();
      const scheduler = newScheduler();
      const counted = countingScheduler(scheduler);
      scheduler.run(({ cold, expectObservable, flush }) => {
        const source = cold<CloseDatesInput>('a b', { a: barEvent(D1, 'A'), b: eodEvent(D1, 2) });
        const result = source.pipe(
          closeDates({ eodTimeoutMs: 100, logger, scheduler: counted.scheduler }),
          summarize,
        );
        expectObservable(result, '^ 20ms !').toBe('');
        // Look before the 100 ms timer would have fired on its own.
        let pendingAt50 = -1;
        scheduler.schedule(() => void (pendingAt50 = counted.pending.size), 50);
        flush();
        expect(pendingAt50).toBe(0);
      });
      expect(logger.warnings).toEqual([]);
    });

    it('never-completing source without markers emits nothing and keeps no timer', () => {
      const scheduler = newScheduler();
      const counted = countingScheduler(scheduler);
      scheduler.run(({ cold, expectObservable }) => {
        const source = concat(
          cold<CloseDatesInput>('a b', { a: barEvent(D1, 'A'), b: barEvent(D2, 'B') }),
          NEVER,
        );
        expectObservable(
          source.pipe(closeDates({ eodTimeoutMs: 5, scheduler: counted.scheduler }), summarize),
        ).toBe('');
      });
      expect(counted.pending.size).toBe(0);
    });

    it('a source error cancels the pending timer', () => {
      const logger = recordingLogger();
      const scheduler = newScheduler();
      const counted = countingScheduler(scheduler);
      scheduler.run(({ cold, expectObservable, flush }) => {
        const source = cold<CloseDatesInput>('a b 5ms #', { a: barEvent(D1, 'A'), b: eodEvent(D1, 2) });
        expectObservable(
          source.pipe(closeDates({ eodTimeoutMs: 100, logger, scheduler: counted.scheduler }), summarize),
        ).toBe('7ms #');
        // Look before the 100 ms timer would have fired on its own.
        let pendingAt50 = -1;
        scheduler.schedule(() => void (pendingAt50 = counted.pending.size), 50);
        flush();
        expect(pendingAt50).toBe(0);
      });
      expect(logger.warnings).toEqual([]);
    });
  });
});
