import type { Observable, Subscription } from 'rxjs';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import { faultPoint } from '@alphafeed/ops';
import type { Logger, ServiceMetrics } from '@alphafeed/ops';
import { ackAfter, deadLetterPublisher, routeDeadLetters, writeAhead } from '@alphafeed/pipeline';
import type { Checkpoint, DeadLetter, MarketEvent, Routed } from '@alphafeed/pipeline';
import type { StorePort, TableSpec } from '@alphafeed/store';
import { BarArchive } from './bar.archive';
import { CachedDateBars } from './cached-date-bars';
import { admitEvents, closeDates } from './close-dates.operator';
import type { ClosedDate } from './closed-date';
import { ClosedDateRunner } from './closed-date.runner';
import type { DateProcessor, ResumePoint } from './closed-date.runner';
import { consumerGroup } from './consumer-group';
import { DateCloser } from './date-closer';
import type { DateBarsPort } from './date-bars.port';
import { decodedMarketEvents } from './market-events.stream';
import { StoreDateBars } from './store-date-bars';
import { BARS_TABLE, DATES_TABLE, INDUSTRIES_TABLE, MARKERS_TABLE } from './tables';
import { ensureStreamingTopics } from './topics';

export interface DateConsumerOptions {
  /** Service name: consumer group suffix, archive partition, dead-letter `service`. */
  readonly service: string;
  readonly config: RegionConfig;
  readonly bus: BusPort;
  readonly store: StorePort;
  readonly codecs: EventCodecs;
  readonly logger: Logger;
  /** The service's own output tables, created before consuming. */
  readonly tables: readonly TableSpec[];
  /**
   * Processed dates whose bars a `consumers: single` member keeps in memory
   * for corrections (default 300, ~60 bytes per bar); corrections of older
   * dates are read back from the store.
   */
  readonly cacheDates?: number;
  /** Where progress is counted for Prometheus (dates, bars, restatements, dead letters, lag, marker → output). */
  readonly metrics?: ServiceMetrics;
}

/** What `/health` and the metrics show of a date consumer. */
export type DateConsumerReport = {
  /** False once the consumer stopped on an error (the process needs a restart). */
  readonly ok: boolean;
  /** Consuming: resumed from the store, not stopping, not failed. */
  readonly ready: boolean;
  readonly reason?: string;
  readonly error?: string;
  readonly stopping: boolean;
  readonly consumers: 'single' | 'shared';
  readonly bars_ingested?: number;
  readonly dates_processed: number;
  readonly last_date: string | null;
  readonly last_revision: number | null;
  readonly open_dates: number;
  readonly ms_since_last_date: number | null;
};

/**
 * The bars consumer of a date-driven service (features, labels, scorer),
 * free of Nest: creates topics and tables, resumes from the store, runs the
 * ingestion stream with the service's `DateProcessor`, stops gracefully.
 *
 * One date closer (`DateCloser`) in both consumer modes; what differs is who
 * writes the bars it reads through its `DateBarsPort`:
 *
 * - `single`: this member consumes every bars partition and the markers
 *   (an exclusive group: further instances stand by) and closes dates over
 *   the store-backed archive with an in-memory cache (`CachedDateBars`):
 *   decode → validate → admit (late dates) → write ahead → close → dead
 *   letters → the use case → commit;
 * - `shared`: every instance ingests its share of the bars partitions
 *   (decode → validate → write ahead → commit; a bar of a processed date
 *   re-sends its marker), and the owner of the one-partition EOD topic (group
 *   `<service>-close`) closes dates over the store (`StoreDateBars`, polled
 *   while a marked date waits); the others stand by for that role.
 */
export class DateConsumer {
  private subscription: Subscription | null = null;
  private runner: ClosedDateRunner | null = null;
  private closer: DateCloser | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private stopping = false;
  private started = false;
  private lastDate: ClosedDate | null = null;
  private ingested = 0;
  private readonly abort = new AbortController();
  private markReady: () => void = () => undefined;
  /** Resolves once the consumer resumed from the store and is consuming (`lastDay` is then meaningful). */
  readonly ready: Promise<void> = new Promise((resolve) => (this.markReady = resolve));

  constructor(private readonly options: DateConsumerOptions) {}

  async start(processor: DateProcessor, onDate?: (closed: ClosedDate) => void): Promise<void> {
    const { config, bus, store } = this.options;
    await ensureStreamingTopics(bus, config);
    await store.ensureTables([
      BARS_TABLE,
      MARKERS_TABLE,
      INDUSTRIES_TABLE,
      DATES_TABLE,
      ...this.options.tables,
    ]);
    const archive = new BarArchive(store, config.region, this.options.service);
    if (config.streaming.consumers === 'shared') await this.startShared(archive, processor, onDate);
    else await this.startSingle(archive, processor, onDate);
    this.started = true;
    this.markReady();
  }

  private async startSingle(
    archive: BarArchive,
    processor: DateProcessor,
    onDate?: (closed: ClosedDate) => void,
  ): Promise<void> {
    const { service, config, logger } = this.options;
    const window = this.options.cacheDates ?? 300;
    const bars = new CachedDateBars(archive, window);
    const { runner, closer } = this.build(archive, bars, processor, window);
    const resume = await runner.resume();
    bars.seed(resume.recent, runner.lastDay);
    bars.load(resume.open);
    this.reopen(resume);
    const topics = config.streaming.kafka.topics;
    const group = consumerGroup(config, service);
    this.watchLag(group, [topics.bars, topics.eod]);
    this.subscription = this.closeFrom(
      decodedMarketEvents(this.options, {
        groupId: group,
        topics: [topics.bars, topics.eod],
        exclusive: true,
      }).pipe(admitEvents(closer)),
      bars,
      (closed) => this.track(runner, closed, onDate),
    );
    logger.info(`consuming ${topics.bars} + ${topics.eod} as group ${group}`);
  }

  private async startShared(
    archive: BarArchive,
    processor: DateProcessor,
    onDate?: (closed: ClosedDate) => void,
  ): Promise<void> {
    const { service, config, logger } = this.options;
    await archive.load();
    const bars = new StoreDateBars(archive);
    const { runner } = this.build(archive, bars, processor, 0);
    const catchUp = async (): Promise<void> => {
      const last = runner.lastDay;
      if ((await this.processedAfter(last)) === last) return;
      // Another member closed dates while this one stood by: take over from the store.
      this.reopen(await runner.resume());
    };
    this.reopen(await runner.resume());
    const topics = config.streaming.kafka.topics;
    const group = consumerGroup(config, service);
    this.watchLag(group, [topics.bars]);
    this.watchLag(`${group}-close`, [topics.eod]);
    const ingest = this.ingestStream(archive, group);
    const closing = this.closeFrom(
      decodedMarketEvents(this.options, {
        groupId: `${group}-close`,
        topics: [topics.eod],
        signal: this.abort.signal,
      }),
      bars,
      (closed) => this.track(runner, closed, onDate),
      catchUp,
    );
    ingest.add(closing);
    this.subscription = ingest;
    logger.info(
      `ingesting ${topics.bars} as group ${group}, closing dates from ${topics.eod} as group ${group}-close`,
    );
  }

  /** Runner and closer of this consumer (the closer asks the runner for recorded revisions). */
  private build(
    archive: BarArchive,
    bars: DateBarsPort,
    processor: DateProcessor,
    recent: number,
  ): { runner: ClosedDateRunner; closer: DateCloser } {
    const { service, config, store, logger } = this.options;
    const runner = new ClosedDateRunner({
      store,
      region: config.region,
      service,
      archive,
      processor,
      logger,
      recent,
    });
    const closer = new DateCloser(bars, {
      region: config.region,
      eodTimeoutMs: config.streaming.eod_timeout_ms,
      logger,
      revisionOf: (day) => runner.revisionOf(day),
    });
    this.runner = runner;
    this.closer = closer;
    return { runner, closer };
  }

  /** Seeds the closer with the processed dates and the archived events of the open dates. */
  private reopen(resume: ResumePoint): void {
    const closer = this.closer as DateCloser;
    const now = Date.now();
    closer.resume(resume.processed, now);
    for (const event of resume.open) closer.onEvent(event, now);
  }

  /** events (routed, with checkpoints) → write ahead → close dates → dead letters → the use case → commit. */
  private closeFrom(
    events: Observable<Routed<MarketEvent> | Checkpoint>,
    bars: DateBarsPort,
    handle: (closed: ClosedDate) => Promise<void>,
    beforeMarker?: () => Promise<void>,
  ): Subscription {
    const { logger } = this.options;
    return events
      .pipe(
        writeAhead(async (batch: readonly MarketEvent[]) => {
          await bars.write(batch);
          faultPoint('archive-written'); // the fault suite's crash between the archive write and the commit
        }),
        closeDates(this.closer as DateCloser, { logger, beforeMarker }),
        routeDeadLetters(this.deadLetters()),
        ackAfter(handle),
      )
      .subscribe({ error: (error: unknown) => this.fail(error) });
  }

  /**
   * The ingest member (`shared`): its bars partitions → dead letters | the
   * archive, commit after the write. A bar of an already processed date
   * re-sends that date's marker (the closer sees markers only).
   */
  private ingestStream(archive: BarArchive, group: string): Subscription {
    const { config, bus, codecs } = this.options;
    let processedThrough: number | null = null;
    const resend = async (events: readonly MarketEvent[]): Promise<void> => {
      let newest = -Infinity;
      for (const e of events) if (e.kind === 'bar') newest = Math.max(newest, e.bar.date);
      // Only a bar newer than the known last processed date can find it stale.
      if (processedThrough === null || newest > processedThrough)
        processedThrough = await this.processedAfter(processedThrough);
      const through = processedThrough;
      if (through === null) return;
      const late = new Set<number>();
      for (const e of events) if (e.kind === 'bar' && e.bar.date <= through) late.add(e.bar.date);
      if (late.size === 0) return;
      const markers = await archive.readMarkers(Math.min(...late), Math.max(...late));
      const messages = markers
        .filter((m) => late.has(m.date))
        .map((m) => ({ key: Buffer.from(config.region), value: codecs.endOfDay.encode(m) }));
      if (messages.length > 0) await bus.publish(config.streaming.kafka.topics.eod, messages);
    };
    return decodedMarketEvents(this.options, { groupId: group, topics: [config.streaming.kafka.topics.bars] })
      .pipe(
        writeAhead(async (events: readonly MarketEvent[]) => {
          await archive.write(events);
          faultPoint('archive-written');
          await resend(events);
          this.ingested += events.length;
        }),
        routeDeadLetters(this.deadLetters()),
        ackAfter(() => undefined),
      )
      .subscribe({ error: (error: unknown) => this.fail(error) });
  }

  /** Publishes dead letters to `<topic>.dlq` and counts them by reason and code. */
  private deadLetters(): (letters: readonly DeadLetter[]) => Promise<void> {
    const { service, bus, codecs, metrics } = this.options;
    const publish = deadLetterPublisher({ sink: bus, codecs, service });
    return async (letters) => {
      await publish(letters);
      for (const l of letters) metrics?.deadLetters.inc({ reason: l.reason, code: l.code });
    };
  }

  /** Reports the group's lag on `topics` at each metrics scrape. */
  private watchLag(group: string, topics: readonly string[]): void {
    const { bus, metrics } = this.options;
    metrics?.addLagSource(async () => (await bus.consumerLag(group, topics)).map((l) => ({ ...l, group })));
  }

  /** The last date this service recorded in `closed_dates` after `after` (any member), or `after`. */
  private async processedAfter(after: number | null): Promise<number | null> {
    const { store, config, service } = this.options;
    const rows = await store.read(DATES_TABLE.name, {
      region: config.region,
      from: after === null ? undefined : formatIsoDay(after + 1),
    });
    let last = after;
    for (let r = 0; r < rows.length; r++)
      if (rows.instruments[rows.instrument[r]] === service && (last === null || rows.date[r] > last))
        last = rows.date[r];
    return last;
  }

  /** Runs one closed date; `stop` waits for it. */
  private track(
    runner: ClosedDateRunner,
    closed: ClosedDate,
    onDate?: (closed: ClosedDate) => void,
  ): Promise<void> {
    const work = runner.handle(closed).then(() => {
      this.lastDate = closed;
      this.count(closed);
      onDate?.(closed);
    });
    this.inFlight = work.catch(() => undefined);
    return work;
  }

  /** Counts a processed date; for a new one, the time from its marker to its output stored. */
  private count(closed: ClosedDate): void {
    const metrics = this.options.metrics;
    const markerAt = this.closer?.markerTime(closed.day);
    if (metrics === undefined) return;
    const kind = closed.restated ? 'restated' : 'new';
    metrics.datesProcessed.inc({ kind });
    metrics.barsProcessed.inc({ kind }, closed.length);
    if (closed.restated) metrics.restatements.inc();
    else if (markerAt !== undefined) metrics.eodToOutput.observe((Date.now() - markerAt) / 1000);
  }

  private fail(error: unknown): void {
    this.failure = error;
    this.options.logger.error(
      `consumer stopped: ${String(error)}; its uncommitted batches will be delivered again after a restart`,
      { stack: error instanceof Error ? error.stack : undefined },
    );
  }

  /** Finishes the date in flight, stops consuming (uncommitted batches are redelivered), flushes the store. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    await this.inFlight;
    this.subscription?.unsubscribe();
    this.subscription = null;
    try {
      await this.options.store.flush();
    } catch (error) {
      this.options.logger.warn(`store flush on shutdown failed: ${String(error)}`);
    }
  }

  get datesProcessed(): number {
    return this.runner?.datesProcessed ?? 0;
  }

  /** Bars this instance wrote ahead as an ingest member (`consumers: shared`). */
  get barsIngested(): number {
    return this.ingested;
  }

  get lastDay(): number | null {
    return this.runner?.lastDay ?? null;
  }

  /** Progress for `/health`; cheap (counters only). */
  report(): DateConsumerReport {
    const last = this.runner?.lastDay ?? null;
    const at = this.runner?.lastProcessedAt ?? 0;
    const mode = this.options.config.streaming.consumers;
    const reason =
      this.failure !== null
        ? `the consumer stopped: ${String(this.failure)}`
        : this.stopping
          ? 'stopping'
          : !this.started
            ? 'resuming from the store'
            : undefined;
    return {
      ok: this.failure === null,
      ready: reason === undefined,
      reason,
      error: this.failure === null ? undefined : String(this.failure),
      stopping: this.stopping,
      consumers: mode,
      bars_ingested: mode === 'shared' ? this.ingested : undefined,
      dates_processed: this.runner?.datesProcessed ?? 0,
      last_date: last === null ? null : formatIsoDay(last),
      last_revision: this.lastDate?.revision ?? null,
      open_dates: this.closer?.openDays.length ?? 0,
      // Time since the service last finished a date (consumer lag per partition is on /metrics).
      ms_since_last_date: at === 0 ? null : Date.now() - at,
    };
  }
}
