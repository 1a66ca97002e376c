import { concat, from, map } from 'rxjs';
import type { Subscription } from 'rxjs';
import type { BusPort } from '@alphafeed/bus';
import type { RegionConfig } from '@alphafeed/config';
import type { EventCodecs } from '@alphafeed/codec';
import { ackAfter, closeDates, deadLetterPublisher, routeDeadLetters, writeAhead } from '@alphafeed/pipeline';
import type { ClosedDate, MarketEvent } from '@alphafeed/pipeline';
import type { BarArchive } from './bar.archive';
import { decodedMarketEvents } from './market-events.stream';
import { faultPoint } from './fault-point';
import type { ResumePoint } from './closed-date.runner';
import type { RuntimeLogger } from './runtime.logger';

export interface ClosedDateStreamOptions {
  readonly bus: BusPort;
  readonly codecs: EventCodecs;
  readonly config: RegionConfig;
  /** Service name: written into dead letters and the archive. */
  readonly service: string;
  /** Consumer group (`<group_prefix>-<service>`). */
  readonly groupId: string;
  readonly archive: BarArchive;
  readonly resume: ResumePoint;
  /** See RuntimeOptions.restatementWindow. */
  readonly restatementWindow?: number;
  readonly logger: RuntimeLogger;
  /** The use case: runs when a date closed; its promise gates the commit. */
  readonly handle: (closed: ClosedDate) => Promise<void>;
  /** A failed handler or store write: the stream stops without committing (the bus redelivers). */
  readonly onError: (error: unknown) => void;
  /** Called after each bus batch is acknowledged (health: consumer progress). */
  readonly onAck?: () => void;
}

/**
 * The ingestion path every date-driven service shares (SPEC §8):
 * bus batches → decode (undecodable → dead letter) → validate (bad bars,
 * unknown regions → dead letter) → write ahead to the store → `closeDates`
 * (EOD marker + bar_count, timeout alert, restatements) → dead letters
 * published → the use case, and only then the batch's offsets may be
 * committed (`ackAfter`). Events written ahead by a previous run go first.
 *
 * Partitioning (`streaming.consumers: single`): closing a date in memory
 * needs every bar of the date, so one consumer sees every partition of
 * `bars.daily.v1` for its region; extra instances are hot standbys that take
 * over on a rebalance. `shared` splits the partitions instead
 * (shared-consumer.streams.ts).
 */
export function startClosedDateStream(o: ClosedDateStreamOptions): Subscription {
  const { config } = o;
  const topics = config.streaming.kafka.topics;
  const live = decodedMarketEvents(o, {
    groupId: o.groupId,
    topics: [topics.bars, topics.eod],
    exclusive: true,
  }).pipe(
    writeAhead(async (events: readonly MarketEvent[]) => {
      await o.archive.write(events);
      faultPoint('archive-written');
    }),
  );
  const prefix = from(o.resume.prefix).pipe(map((value) => ({ kind: 'ok' as const, value })));
  return concat(prefix, live)
    .pipe(
      closeDates({
        expectedRegion: config.region,
        eodTimeoutMs: config.streaming.eod_timeout_ms,
        logger: o.logger,
        initialClosed: o.resume.initialClosed,
        restatementWindow: o.restatementWindow,
      }),
      routeDeadLetters(deadLetterPublisher({ sink: o.bus, codecs: o.codecs, service: o.service })),
      ackAfter(async (closed: ClosedDate) => {
        await o.handle(closed);
        o.onAck?.();
      }),
    )
    .subscribe({ error: o.onError });
}
