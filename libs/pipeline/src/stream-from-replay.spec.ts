/**
 * The whole ingestion path on the real in-memory bus and the real Avro codec:
 * replay a panel, consume it with fromSubscription -> unbatch ->
 * decodeOrDeadLetter -> validateBars -> writeAhead -> closeDates ->
 * routeDeadLetters -> ackAfter(store write), and check the closed dates equal
 * the panel, bad messages land on the dead-letter topic, no offset is
 * committed before what depends on it is durable, a second replay of the same
 * input changes nothing, and a crash mid-way loses nothing after a restart.
 */
import type { Subscription } from 'rxjs';
import { MemoryBus } from '@alphafeed/bus';
import { TOPICS, loadEventCodecs } from '@alphafeed/codec';
import type { DeadLetterEvent } from '@alphafeed/codec';
import { dateOffsets, parseIsoDay } from '@alphafeed/core';
import { ackAfter } from './ack-after.operator';
import { closeDates } from './close-dates.operator';
import { codecMarketEventDecoder, codecReplayEncoders, deadLetterPublisher } from './codec.adapters';
import { decodeOrDeadLetter, routeDeadLetters } from './dead-letter.operator';
import type { ClosedDate } from './events';
import { bar, recordingLogger, smallPanel } from './fixtures.testing';
import { fromSubscription, unbatch } from './from-subscription';
import { replayBars } from './replay';
import { validateBars } from './validate-bars.operator';
import { writeAhead } from './write-ahead.operator';
import type { MarketEvent } from './events';
import { closedDateFromBars } from './closed-date';
import { concat, from, map } from 'rxjs';
import type { BarEvent } from './events';

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('replay -> bus -> closeDates -> store', () => {
  const codecs = loadEventCodecs();
  let running: Subscription | undefined;
  afterEach(() => running?.unsubscribe());

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

    const stored: ClosedDate[] = [];
    const staged = new Map<string, MarketEvent>();
    const violations: string[] = [];
    const logger = recordingLogger();
    // The marker of the k-th date has offset k: once committed, the date must be stored or its marker written ahead.
    const checkCommits = () => {
      const committed = bus.committedOffsets('features', TOPICS.endOfDay)[0];
      for (let k = 0; k < Math.min(committed, panel.calendar.length); k++) {
        const date = panel.calendar[k];
        if (!stored.some((c) => c.date === date) && !staged.has(`${parseIsoDay(date)}/EOD`))
          violations.push(`${date}: marker committed before it was durable`);
      }
    };
    const timer = setInterval(checkCommits, 0);
    running = pipeline(bus, { staged, stored, logger, onError: (e) => violations.push(String(e)) });

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
    expect(logger.warnings).toEqual([]);

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

    // The two bad messages are on the dead-letter topic with the original bytes.
    const dlq = await readTopic(bus, TOPICS.barsDlq);
    const letters = dlq.map((v) => codecs.deadLetter.decode(v) as DeadLetterEvent);
    expect(letters.map((l) => [l.error_code, l.reason.split(':')[0], l.source_topic, l.service])).toEqual(
      expect.arrayContaining([
        ['CODEC_BAD_MARKER', 'undecodable', TOPICS.bars, 'test'],
        ['high_below_low', 'invalid_bar', TOPICS.bars, 'test'],
      ]),
    );
    expect(letters.find((l) => l.error_code === 'CODEC_BAD_MARKER')?.payload.toString()).toBe('not avro');

    // Replaying the same input again leaves the state unchanged: no new emission.
    await replayBars({ panel, region: 'US', sink: bus, ...encoders, batchSize: 5 });
    await waitFor(
      () => bus.committedOffsets('features', TOPICS.endOfDay)[0] === bus.endOffsets(TOPICS.endOfDay)[0],
      'the second replay consumed',
    );
    await new Promise((r) => setTimeout(r, 20));
    expect(stored).toHaveLength(panel.calendar.length);
    expect(logger.warnings).toEqual([]);
  });

  it('after a crash in the middle, a restart from the written-ahead events loses no date and keeps the revisions', async () => {
    const bus = new MemoryBus({ maxBatchSize: 5, onError: () => undefined });
    await bus.connect();
    await bus.ensureTopics([
      { name: TOPICS.bars, partitions: 2 },
      { name: TOPICS.endOfDay, partitions: 1 },
      { name: TOPICS.barsDlq, partitions: 1 },
    ]);
    const panel = smallPanel(10, 9);
    await replayBars({ panel, region: 'US', sink: bus, ...codecReplayEncoders(codecs), batchSize: 4 });
    const staged = new Map<string, MarketEvent>();
    const stored: ClosedDate[] = [];
    const errors: unknown[] = [];
    const logger = recordingLogger();

    // First run: the store fails while writing the 5th date.
    running = pipeline(bus, { staged, stored, logger, onError: (e) => errors.push(e), failAt: 4 });
    await waitFor(() => errors.length === 1, 'the crash');
    expect(stored.map((c) => c.date)).toEqual(panel.calendar.slice(0, 4));
    // Offsets past the crash were committed (the open dates' events are only written ahead): the bus alone cannot recover them.
    expect(bus.committedOffsets('features', TOPICS.endOfDay)[0]).toBeGreaterThan(4);

    // Restart: rebuild the processed dates from the written-ahead bars, replay the written-ahead events of later dates first.
    const lastStored = Math.max(...stored.map((c) => c.day));
    const events = [...staged.values()];
    const initialClosed = [...new Set(stored.map((c) => c.day))].map((day) =>
      closedDateFromBars(
        events.flatMap((e) => (e.kind === 'bar' && e.bar.date === day ? [e.bar] : [])),
        { region: 'US', day, revision: 0 },
      ),
    );
    const pending = events.filter((e) => (e.kind === 'bar' ? e.bar.date : e.eod.date) > lastStored);
    running = pipeline(bus, {
      staged,
      stored,
      logger,
      onError: (e) => errors.push(e),
      initialClosed,
      prefix: pending,
    });
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
    expect(logger.warnings).toEqual([]);
    // Every date exactly once, in order, none timed out, with the panel's bars.
    expect(stored.map((c) => c.date)).toEqual(panel.calendar);
    const offsets = dateOffsets(panel.date, panel.calendar.length);
    stored.forEach((closed, d) => {
      expect(closed.timedOut).toBe(false);
      expect(closed.revision).toBe(0);
      expect(Array.from(closed.close)).toEqual(Array.from(panel.close.subarray(offsets[d], offsets[d + 1])));
    });

    // A correction after the restart of a date processed before the crash is a restatement with revision 1.
    await bus.publish(TOPICS.bars, [
      {
        key: Buffer.from('I000'),
        value: codecs.bar.encode({ ...firstBar(events, stored[1].day), close: 99, high: 100 }),
      },
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

function firstBar(events: MarketEvent[], day: number): BarEvent {
  const found = events.find((e) => e.kind === 'bar' && e.bar.date === day && e.bar.instrument === 'I000');
  if (found === undefined || found.kind !== 'bar') throw new Error('no bar');
  return found.bar;
}

interface PipelineOptions {
  /** Written-ahead events by (day, instrument | EOD). */
  readonly staged: Map<string, MarketEvent>;
  readonly stored: ClosedDate[];
  readonly logger: ReturnType<typeof recordingLogger>;
  readonly onError: (error: unknown) => void;
  /** Throw in the store write of this many-th new date (0-based). */
  readonly failAt?: number;
  readonly initialClosed?: readonly ClosedDate[];
  readonly prefix?: readonly MarketEvent[];
}

/** The features-service ingestion path as a service would wire it. */
function pipeline(bus: MemoryBus, options: PipelineOptions): Subscription {
  const { staged, stored, logger } = options;
  const codecs = loadEventCodecs();
  let writes = 0;
  const live = fromSubscription(bus, { groupId: 'features', topics: [TOPICS.bars, TOPICS.endOfDay] }).pipe(
    unbatch(),
    decodeOrDeadLetter(codecMarketEventDecoder(codecs)),
    validateBars({ regions: ['US'] }),
    writeAhead(async (events: readonly MarketEvent[]) => {
      await new Promise((r) => setTimeout(r, 1));
      for (const e of events)
        staged.set(e.kind === 'bar' ? `${e.bar.date}/${e.bar.instrument}` : `${e.eod.date}/EOD`, e);
    }),
  );
  return concat(from(options.prefix ?? []).pipe(map((value) => ({ kind: 'ok' as const, value }))), live)
    .pipe(
      closeDates({
        expectedRegion: 'US',
        eodTimeoutMs: 60_000,
        logger,
        initialClosed: options.initialClosed,
      }),
      routeDeadLetters(deadLetterPublisher({ sink: bus, codecs, service: 'test', now: () => 0 })),
      ackAfter(async (closed: ClosedDate) => {
        if (writes++ === options.failAt) throw new Error('store down');
        await new Promise((r) => setTimeout(r, 1));
        stored.push(closed);
      }),
    )
    .subscribe({ error: options.onError });
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
