/**
 * The ingestion path of a `single` consumer on the real in-memory bus, Avro
 * codec and embedded store: replay a panel, consume it with fromSubscription
 * -> unbatch -> decodeOrDeadLetter -> validateBars -> admitEvents ->
 * writeAhead(cached archive) -> closeDates -> routeDeadLetters ->
 * ackAfter(store write), and check the closed dates equal the panel, bad
 * messages land on the dead-letter topic, no marker offset is committed
 * before its date is durable, a second replay changes nothing, and a crash
 * mid-way loses nothing after a restart from the archive. Then the
 * operator's contract: empty, error, completion, early unsubscribe.
 */
import { Subject, concatWith, firstValueFrom, from, ignoreElements, lastValueFrom, toArray } from 'rxjs';
import type { Subscription } from 'rxjs';
import { MemoryBus } from '@alphafeed/bus';
import { TOPICS, loadEventCodecs } from '@alphafeed/codec';
import type { DeadLetterEvent } from '@alphafeed/codec';
import { dateOffsets, parseIsoDay } from '@alphafeed/core';
import {
  Checkpoint,
  ackAfter,
  codecMarketEventDecoder,
  codecReplayEncoders,
  deadLetterPublisher,
  decodeOrDeadLetter,
  fromSubscription,
  replayBars,
  routeDeadLetters,
  unbatch,
  validateBars,
  writeAhead,
} from '@alphafeed/pipeline';
import type { BarEvent, MarketEvent, Routed } from '@alphafeed/pipeline';
import type { EmbeddedStore } from '@alphafeed/store';
import type { BarArchive } from './bar.archive';
import { CachedDateBars } from './cached-date-bars';
import { admitEvents, closeDates } from './close-dates.operator';
import { closedDateDigest } from './closed-date';
import type { ClosedDate } from './closed-date';
import { DateCloser } from './date-closer';
import {
  archiveOnFreshStore,
  bar,
  barEvent,
  eodEvent,
  recordingLogger,
  smallPanel,
} from './fixtures.testing';

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('replay -> bus -> date closer -> store (consumers: single)', () => {
  const codecs = loadEventCodecs();
  let running: Subscription | undefined;
  let store: EmbeddedStore | undefined;
  let afterCleanup = (): void => undefined;
  afterEach(async () => {
    afterCleanup();
    running?.unsubscribe();
    await store?.close();
  });

  it('closes every replayed date once, dead-letters bad input, commits after the store write, and is idempotent on replay', async () => {
    const bus = new MemoryBus({ maxBatchSize: 7 });
    await bus.connect();
    await bus.ensureTopics([
      { name: TOPICS.bars, partitions: 3 },
      { name: TOPICS.endOfDay, partitions: 1 },
      { name: TOPICS.barsDlq, partitions: 1 },
    ]);
    const panel = smallPanel(8, 12);
    const encoders = codecReplayEncoders(codecs);
    await replayBars({ panel, region: 'US', sink: bus, ...encoders, batchSize: 5 });
    // Bad input after the replay: garbage bytes and a bar failing validation.
    await bus.publish(TOPICS.bars, [
      { key: Buffer.from('X'), value: Buffer.from('not avro') },
      { key: Buffer.from('Y'), value: codecs.bar.encode(bar('2024-01-10', 'Y', 10, { high: 5, low: 6 })) },
    ]);

    const opened = await archiveOnFreshStore();
    store = opened.store;
    const stored: ClosedDate[] = [];
    const violations: string[] = [];
    const logger = recordingLogger();
    // The marker of the k-th date has offset k: once committed, the date must be stored or its marker archived.
    const archivedMarkers = new Set<number>();
    const checkCommits = (): void => {
      const committed = bus.committedOffsets('features', TOPICS.endOfDay)[0];
      for (let k = 0; k < Math.min(committed, panel.calendar.length); k++) {
        const date = panel.calendar[k];
        if (!stored.some((c) => c.date === date) && !archivedMarkers.has(parseIsoDay(date)))
          violations.push(`${date}: marker committed before it was durable`);
      }
    };
    const timer = setInterval(checkCommits, 0);
    afterCleanup = () => clearInterval(timer);
    const { subscription } = pipeline(bus, opened.archive, {
      stored,
      logger,
      onError: (e) => violations.push(String(e)),
      onArchived: (events) => {
        for (const e of events) if (e.kind === 'eod') archivedMarkers.add(e.eod.date);
      },
    });
    running = subscription;

    await waitFor(
      () => stored.length === panel.calendar.length && bus.endOffsets(TOPICS.barsDlq)[0] === 2,
      'all dates and dead letters',
    );
    await waitFor(
      () =>
        bus.committedOffsets('features', TOPICS.bars).every((c, p) => c === bus.endOffsets(TOPICS.bars)[p]),
      'every bar offset committed',
    );
    clearInterval(timer);
    checkCommits();
    expect(violations).toEqual([]);
    expect(logger.warnings()).toEqual([]);

    // Closed dates equal the panel, in date order.
    const offsets = dateOffsets(panel.date, panel.calendar.length);
    expect(stored.map((c) => c.date)).toEqual(panel.calendar);
    stored.forEach((closed, d) => {
      const rows = Array.from({ length: offsets[d + 1] - offsets[d] }, (_, i) => offsets[d] + i);
      expect(closed.day).toBe(parseIsoDay(panel.calendar[d]));
      expect(closed.revision).toBe(0);
      expect(closed.timedOut).toBe(false);
      expect(closed.instruments).toEqual(rows.map((r) => panel.instruments[panel.instrument[r]]));
      expect(Array.from(closed.close)).toEqual(rows.map((r) => panel.close[r]));
      expect(Array.from(closed.volume)).toEqual(rows.map((r) => panel.volume[r]));
      expect(Array.from(closed.amount)).toEqual(rows.map((r) => (panel.amount as Float64Array)[r]));
      expect(
        rows.map((r, i) => closed.industries[closed.industry[i]] === panel.industries[panel.industry[r]]),
      ).not.toContain(false);
    });

    // The two bad messages are on the dead-letter topic with the original bytes; nothing of them is archived.
    const dlq = await readTopic(bus, TOPICS.barsDlq);
    const letters = dlq.map((v) => codecs.deadLetter.decode(v) as DeadLetterEvent);
    expect(letters.map((l) => [l.error_code, l.reason.split(':')[0], l.source_topic, l.service])).toEqual(
      expect.arrayContaining([
        ['CODEC_BAD_MARKER', 'undecodable', TOPICS.bars, 'test'],
        ['high_below_low', 'invalid_bar', TOPICS.bars, 'test'],
      ]),
    );
    expect(letters.find((l) => l.error_code === 'CODEC_BAD_MARKER')?.payload.toString()).toBe('not avro');
    const archived = await opened.archive.readEvents();
    expect(archived.some((e) => e.kind === 'bar' && e.bar.instrument === 'Y')).toBe(false);

    // Replaying the same input again leaves the state unchanged: no new emission.
    await replayBars({ panel, region: 'US', sink: bus, ...encoders, batchSize: 5 });
    await waitFor(
      () => bus.committedOffsets('features', TOPICS.endOfDay)[0] === bus.endOffsets(TOPICS.endOfDay)[0],
      'the second replay consumed',
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(stored).toHaveLength(panel.calendar.length);
    expect(logger.warnings()).toEqual([]);
  });

  it('after a crash in the middle, a restart from the archive loses no date and keeps the revisions', async () => {
    const bus = new MemoryBus({ maxBatchSize: 5, onError: () => undefined });
    await bus.connect();
    await bus.ensureTopics([
      { name: TOPICS.bars, partitions: 2 },
      { name: TOPICS.endOfDay, partitions: 1 },
      { name: TOPICS.barsDlq, partitions: 1 },
    ]);
    const panel = smallPanel(10, 9);
    await replayBars({ panel, region: 'US', sink: bus, ...codecReplayEncoders(codecs), batchSize: 4 });
    const opened = await archiveOnFreshStore();
    store = opened.store;
    const stored: ClosedDate[] = [];
    const errors: unknown[] = [];
    const logger = recordingLogger();

    // First run: the store fails while writing the 5th date.
    running = pipeline(bus, opened.archive, {
      stored,
      logger,
      onError: (e) => errors.push(e),
      failAt: 4,
    }).subscription;
    await waitFor(() => errors.length === 1, 'the crash');
    expect(stored.map((c) => c.date)).toEqual(panel.calendar.slice(0, 4));
    // Offsets past the crash were committed (the open dates' events are only archived): the bus alone cannot recover them.
    expect(bus.committedOffsets('features', TOPICS.endOfDay)[0]).toBeGreaterThan(4);
    running.unsubscribe();

    // Restart: the processed dates seed the closer, the archived events of later dates reopen them.
    const processed = stored.map((c) => ({ day: c.day, digest: closedDateDigest(c), length: c.length }));
    const restarted = pipeline(bus, opened.archive, {
      stored,
      logger,
      onError: (e) => errors.push(e),
      processed,
    });
    running = restarted.subscription;
    await waitFor(
      () => new Set(stored.map((c) => c.date)).size === panel.calendar.length,
      'every date stored',
    );
    await waitFor(
      () => bus.committedOffsets('features', TOPICS.endOfDay)[0] === panel.calendar.length,
      'all markers committed',
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toHaveLength(1);
    expect(logger.warnings()).toEqual([]);
    // Every date exactly once, in order, none timed out, with the panel's bars.
    expect(stored.map((c) => c.date)).toEqual(panel.calendar);
    const offsets = dateOffsets(panel.date, panel.calendar.length);
    stored.forEach((closed, d) => {
      expect(closed.timedOut).toBe(false);
      expect(closed.revision).toBe(0);
      expect(Array.from(closed.close)).toEqual(Array.from(panel.close.subarray(offsets[d], offsets[d + 1])));
    });

    // A correction after the restart of a date processed before the crash is a restatement with revision 1.
    const first = (await opened.archive.readEvents(stored[1].day, stored[1].day)).find(
      (e) => e.kind === 'bar' && e.bar.instrument === 'I000',
    ) as { bar: BarEvent };
    await bus.publish(TOPICS.bars, [
      { key: Buffer.from('I000'), value: codecs.bar.encode({ ...first.bar, close: 99, high: 100 }) },
    ]);
    await bus.publish(TOPICS.endOfDay, [
      {
        key: Buffer.from('US'),
        value: codecs.endOfDay.encode({
          region: 'US',
          date: stored[stored.length - 1].day + 1,
          bar_count: 0,
        }),
      },
    ]);
    await waitFor(() => stored.length === panel.calendar.length + 2, 'the restatement and the new date');
    expect(stored.slice(-2).map((c) => [c.date, c.revision, c.restated])).toEqual([
      [panel.calendar[1], 1, true],
      ['2024-01-12', 0, false],
    ]);
  });
});

describe('closeDates (operator contract)', () => {
  let store: EmbeddedStore | undefined;
  afterEach(async () => store?.close());

  async function closer(timeoutMs = 50): Promise<{ closer: DateCloser; bars: CachedDateBars }> {
    const opened = await archiveOnFreshStore();
    store = opened.store;
    const bars = new CachedDateBars(opened.archive, 10);
    const c = new DateCloser(bars, {
      region: 'US',
      eodTimeoutMs: timeoutMs,
      logger: recordingLogger(),
      revisionOf: () => 0,
    });
    c.resume([], Date.now());
    return { closer: c, bars };
  }
  const ok = (event: MarketEvent): Routed<MarketEvent> => ({ kind: 'ok', value: event });
  const dates = (out: unknown[]): unknown[] =>
    out.map((o) =>
      o instanceof Checkpoint
        ? 'checkpoint'
        : (o as Routed<ClosedDate>).kind === 'ok'
          ? (o as { value: ClosedDate }).value.date
          : 'dead',
    );

  it('completes without emitting on an empty source', async () => {
    const { closer: c } = await closer();
    expect(
      await lastValueFrom(from([]).pipe(closeDates(c, { logger: recordingLogger() }), toArray())),
    ).toEqual([]);
  });

  it('passes checkpoints and dead letters in order, after the dates their events closed', async () => {
    const { closer: c, bars } = await closer();
    const events = [barEvent('2024-01-02', 'A'), eodEvent('2024-01-02', 1)];
    await bars.write(events);
    const letter: Routed<MarketEvent> = {
      kind: 'dead',
      letter: { reason: 'invalid_bar', code: 'X', detail: 'x' },
    };
    const out = await lastValueFrom(
      from([ok(events[0]), letter, ok(events[1]), new Checkpoint(() => undefined)]).pipe(
        closeDates(c, { logger: recordingLogger() }),
        toArray(),
      ),
    );
    expect(dates(out)).toEqual(['dead', '2024-01-02', 'checkpoint']);
  });

  it('on completion closes the open dates in order with flushOnComplete, or leaves them with a warning', async () => {
    const { closer: c, bars } = await closer(60_000);
    const events = [barEvent('2024-01-02', 'A'), barEvent('2024-01-03', 'A'), eodEvent('2024-01-03', 2)];
    await bars.write(events);
    const flushed = await lastValueFrom(
      from(events.map(ok)).pipe(
        closeDates(c, { logger: recordingLogger(), flushOnComplete: true }),
        toArray(),
      ),
    );
    expect(
      flushed.map((o) => [
        (o as { value: ClosedDate }).value.date,
        (o as { value: ClosedDate }).value.timedOut,
      ]),
    ).toEqual([
      ['2024-01-02', true],
      ['2024-01-03', true],
    ]);
    const other = await closer(60_000);
    await other.bars.write(events);
    const logger = recordingLogger();
    const kept = await lastValueFrom(
      from(events.map(ok)).pipe(closeDates(other.closer, { logger }), toArray()),
    );
    expect(kept).toEqual([]);
    expect(logger.warnings()).toEqual([
      'stopping with 2 open date(s) 2024-01-02, 2024-01-03; they reopen from the bar archive',
    ]);
  });

  it('closes a stuck date on its timeout while the source never completes, and releases the timer on unsubscribe', async () => {
    const { closer: c, bars } = await closer(30);
    const source = new Subject<Routed<MarketEvent>>();
    const events = [barEvent('2024-01-02', 'A'), eodEvent('2024-01-02', 2)];
    await bars.write(events);
    const first = firstValueFrom(source.pipe(closeDates(c, { logger: recordingLogger() })));
    events.forEach((e) => source.next(ok(e)));
    const closed = (await first) as { value: ClosedDate };
    expect([closed.value.date, closed.value.timedOut]).toEqual(['2024-01-02', true]);

    // A second date waiting for its timeout: unsubscribing cancels the timer, nothing is emitted later.
    const later = [barEvent('2024-01-03', 'A'), eodEvent('2024-01-03', 2)];
    await bars.write(later);
    const seen: unknown[] = [];
    const sub = source.pipe(closeDates(c, { logger: recordingLogger() })).subscribe((v) => seen.push(v));
    later.forEach((e) => source.next(ok(e)));
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 80));
    expect(seen).toEqual([]);
  });

  it('propagates a source error and emits nothing after it', async () => {
    const { closer: c } = await closer();
    const source = new Subject<Routed<MarketEvent>>();
    const result = lastValueFrom(source.pipe(closeDates(c, { logger: recordingLogger() }), toArray()));
    source.error(new Error('bus gone'));
    await expect(result).rejects.toThrow('bus gone');
  });
});

interface PipelineOptions {
  readonly stored: ClosedDate[];
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly onError: (error: unknown) => void;
  /** Throw in the store write of this many-th new date (0-based). */
  readonly failAt?: number;
  /** Called once a batch's events are in the archive. */
  readonly onArchived?: (events: readonly MarketEvent[]) => void;
  /** Dates processed before a restart. */
  readonly processed?: readonly { day: number; digest: number; length: number }[];
}

/** The features-service ingestion path (consumers: single) as the DateConsumer wires it. */
function pipeline(
  bus: MemoryBus,
  archive: BarArchive,
  options: PipelineOptions,
): { subscription: Subscription } {
  const { stored, logger } = options;
  const codecs = loadEventCodecs();
  const bars = new CachedDateBars(archive, 300);
  let writes = 0;
  const closer = new DateCloser(bars, {
    region: 'US',
    eodTimeoutMs: 60_000,
    logger,
    revisionOf: (day) => Math.max(-1, ...stored.filter((c) => c.day === day).map((c) => c.revision)),
  });
  closer.resume(options.processed ?? [], Date.now());
  const last = Math.max(-Infinity, ...(options.processed ?? []).map((p) => p.day));
  const reopened = archive.readEvents(Number.isFinite(last) ? last + 1 : undefined).then((open) => {
    bars.load(open);
    for (const e of open) closer.onEvent(e, Date.now());
  });
  const subscription = from(reopened)
    .pipe(
      ignoreElements(),
      concatWith(
        fromSubscription(bus, { groupId: 'features', topics: [TOPICS.bars, TOPICS.endOfDay], logger }).pipe(
          unbatch(),
          decodeOrDeadLetter(codecMarketEventDecoder(codecs)),
          validateBars({ regions: ['US'] }),
          admitEvents(closer),
          writeAhead(async (events: readonly MarketEvent[]) => {
            await bars.write(events);
            options.onArchived?.(events);
          }),
          closeDates(closer, { logger }),
          routeDeadLetters(deadLetterPublisher({ sink: bus, codecs, service: 'test', now: () => 0 })),
          ackAfter(async (closed: ClosedDate) => {
            if (writes++ === options.failAt) throw new Error('store down');
            await new Promise((r) => setTimeout(r, 1));
            stored.push(closed);
          }),
        ),
      ),
    )
    .subscribe({ error: options.onError });
  return { subscription };
}

/** Every message of a one-partition topic, read by a throw-away group. */
async function readTopic(bus: MemoryBus, topic: string): Promise<Buffer[]> {
  const values: Buffer[] = [];
  const end = bus.endOffsets(topic)[0];
  const sub = await bus.subscribe({ groupId: `reader-${Math.random()}`, topics: [topic] }, async (batch) => {
    for (const m of batch) values.push(m.value);
  });
  await waitFor(() => values.length === end, `${topic} read`);
  await sub.close();
  return values;
}
