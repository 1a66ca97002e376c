import type { Subscription } from 'rxjs';
import type { BusPort } from '@alphafeed/bus';
import type { RegionConfig } from '@alphafeed/config';
import type { EventCodecs, EndOfDayEvent } from '@alphafeed/codec';
import { formatIsoDay } from '@alphafeed/core';
import {
  ackAfter,
  closedDateDigest,
  closedDateFromBars,
  deadLetterPublisher,
  routeDeadLetters,
  writeAhead,
} from '@alphafeed/pipeline';
import type { ClosedDate, MarketEvent } from '@alphafeed/pipeline';
import { faultPoint } from './fault-point';
import type { BarArchive } from './bar.archive';
import { decodedMarketEvents } from './market-events.stream';
import { groupByDay } from './closed-date.runner';
import type { ClosedDateRunner } from './closed-date.runner';
import { consumerGroup } from './consumer-group';
import type { RuntimeLogger } from './runtime.logger';

/**
 * `streaming.consumers: shared` — how the instances of one service split a
 * region (SPEC §8 semantics unchanged):
 *
 * - every instance is an **ingest** member of the group `<prefix>-<service>`
 *   on `bars.daily.v1`: the group splits the partitions, each member decodes,
 *   validates and writes its bars ahead to the shared store, and commits a
 *   batch once it is written (dead letters as in `single` mode);
 * - every instance is also a **closer** candidate in the group
 *   `<prefix>-<service>-close` on the one-partition `bars.eod.v1`: Kafka gives
 *   that partition to exactly one of them, which on each marker waits until
 *   the store holds the date's `bar_count` bars (or no bar came for
 *   `eod_timeout_ms`), reads them back and runs the service's use case. The
 *   others stand by and take over on a rebalance, rebuilding from the store.
 *
 * So no bar is decoded or stored twice and no date is computed twice; the
 * per-date compute (a few ms for 3,000 instruments) stays on one member.
 *
 * Restatements: the closer cannot see bars another member ingests, so the
 * ingest member that writes a bar of an already processed date re-sends that
 * date's marker; the closer recomputes the date only if its bars' digest
 * changed (`closedDateDigest`), so a replay of the same input stays a no-op.
 * A correction that lands while the closer is reading its date is caught by
 * the next marker of that date, not before.
 */
export interface SharedStreamOptions {
  readonly bus: BusPort;
  readonly codecs: EventCodecs;
  readonly config: RegionConfig;
  readonly service: string;
  readonly archive: BarArchive;
  readonly logger: RuntimeLogger;
  /** A failed stream: it stops without committing (the bus redelivers). */
  readonly onError: (error: unknown) => void;
}

export interface IngestOptions extends SharedStreamOptions {
  /** Last date the closer processed, reading only dates after `after` (restatement check). */
  readonly processedThrough: (after: number | null) => Promise<number | null>;
  /** Bars written ahead, after each batch. */
  readonly onIngested: (bars: number) => void;
}

export interface CloserOptions extends SharedStreamOptions {
  /** The runner of the date-driven engine (replaced when `beforeMarker` rebuilds it). */
  readonly runner: ClosedDateRunner;
  /** Called before each marker: catches up with dates another instance closed while this one stood by. */
  readonly beforeMarker: () => Promise<void>;
  /** Runs the use case of one closed date (new or restated); its promise gates the commit. */
  readonly handle: (closed: ClosedDate) => Promise<void>;
  /** Aborted on shutdown: a wait for missing bars stops and its marker is redelivered. */
  readonly signal: AbortSignal;
}

/** The ingest member: bars of its partitions → dead letters | store, commit after the write. */
export function startIngestStream(o: IngestOptions): Subscription {
  const { config, service } = o;
  let processedThrough: number | null = null;
  const resend = async (events: readonly MarketEvent[]): Promise<void> => {
    let newest = -Infinity;
    for (const e of events) if (e.kind === 'bar') newest = Math.max(newest, e.bar.date);
    // Only a bar newer than the known last processed date can find it stale.
    if (processedThrough === null || newest > processedThrough)
      processedThrough = await o.processedThrough(processedThrough);
    const through = processedThrough;
    if (through === null) return;
    const late = new Set<number>();
    for (const e of events) if (e.kind === 'bar' && e.bar.date <= through) late.add(e.bar.date);
    if (late.size === 0) return;
    const markers = await o.archive.readMarkers(Math.min(...late), Math.max(...late));
    const messages = markers
      .filter((m) => late.has(m.date))
      .map((m) => ({ key: Buffer.from(config.region), value: o.codecs.endOfDay.encode(m) }));
    if (messages.length > 0) await o.bus.publish(config.streaming.kafka.topics.eod, messages);
  };
  return decodedMarketEvents(o, {
    groupId: consumerGroup(config, service),
    topics: [config.streaming.kafka.topics.bars],
  })
    .pipe(
      writeAhead(async (events: readonly MarketEvent[]) => {
        await o.archive.write(events);
        faultPoint('archive-written');
        await resend(events);
        o.onIngested(events.length);
      }),
      routeDeadLetters(deadLetterPublisher({ sink: o.bus, codecs: o.codecs, service })),
      ackAfter(() => undefined),
    )
    .subscribe({ error: o.onError });
}

/** The closer candidate: markers → wait for the date's bars in the store → the use case. */
export function startCloserStream(o: CloserOptions): Subscription {
  const { config, service } = o;
  return decodedMarketEvents(o, {
    groupId: `${consumerGroup(config, service)}-close`,
    topics: [config.streaming.kafka.topics.eod],
    signal: o.signal,
  })
    .pipe(
      routeDeadLetters(deadLetterPublisher({ sink: o.bus, codecs: o.codecs, service })),
      ackAfter(async (event: MarketEvent) => {
        if (event.kind === 'eod') await closeOnMarker(o, event.eod);
      }),
    )
    .subscribe({ error: o.onError });
}

async function closeOnMarker(o: CloserOptions, eod: EndOfDayEvent): Promise<void> {
  await o.beforeMarker();
  const { runner, archive, logger } = o;
  await archive.write([{ kind: 'eod', eod }]);
  const day = eod.date;
  const done = runner.processed(day);
  if (done !== undefined) {
    const closed = await readClosed(o, day, day);
    const again = closed.find((c) => c.day === day);
    if (again === undefined || closedDateDigest(again) === done.digest) return; // a re-sent marker, same bars
    await o.handle({ ...again, revision: done.revision + 1, restated: true });
    return;
  }
  const last = runner.lastDay;
  if (last !== null && day < last) {
    logger.warn(
      `end-of-day marker for ${formatIsoDay(day)} is before the last processed date ${formatIsoDay(last)} and the date was never processed; ignored`,
    );
    return;
  }
  await waitForBars(o, day, eod.bar_count);
  // Dates before this one that have bars but never got a marker close first, as closeDates does.
  for (const closed of await readClosed(o, last === null ? undefined : last + 1, day)) {
    if (closed.timedOut) {
      logger.warn(
        closed.expectedCount === null
          ? `${o.config.region} ${closed.date} closed without an end-of-day marker (a later marker arrived); check the marker feed`
          : `${o.config.region} ${closed.date} closed with ${closed.length} of ${closed.expectedCount} bars after ${o.config.streaming.eod_timeout_ms} ms without a new bar`,
        { date: closed.date },
      );
    }
    await o.handle(closed);
  }
}

/** The archived dates in [fromDay, toDay] as ClosedDates (revision 0, expected counts from their markers). */
async function readClosed(
  o: CloserOptions,
  fromDay: number | undefined,
  toDay: number,
): Promise<ClosedDate[]> {
  const byDay = groupByDay(await o.archive.readEvents(fromDay, toDay));
  return [...byDay].map(([day, group]) =>
    closedDateFromBars(group.bars, { region: o.config.region, day, expectedCount: group.barCount }),
  );
}

/**
 * Polls the store until it holds `expected` bars of the date (other members
 * write them), or no new bar arrived for `eod_timeout_ms`. Backs off from
 * 10 ms to 200 ms between reads.
 */
async function waitForBars(o: CloserOptions, day: number, expected: number): Promise<void> {
  let seen = -1;
  let progressAt = Date.now();
  let pause = 10;
  for (;;) {
    if (o.signal.aborted)
      throw new Error(`stopping while ${formatIsoDay(day)} waits for bars; its marker is delivered again`);
    const count = await o.archive.countBars(day);
    if (count >= expected) return;
    if (count > seen) {
      seen = count;
      progressAt = Date.now();
    } else if (Date.now() - progressAt >= o.config.streaming.eod_timeout_ms) return;
    await new Promise((resolve) => setTimeout(resolve, pause));
    pause = Math.min(200, pause * 1.5);
  }
}
