import type { Subscription } from 'rxjs';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { ClosedDate } from '@alphafeed/pipeline';
import type { StorePort, TableSpec } from '@alphafeed/store';
import { formatIsoDay } from '@alphafeed/core';
import { BarArchive } from './bar.archive';
import { ClosedDateRunner } from './closed-date.runner';
import type { DateProcessor } from './closed-date.runner';
import { startClosedDateStream } from './closed-dates.stream';
import { startCloserStream, startIngestStream } from './shared-consumer.streams';
import { consumerGroup } from './consumer-group';
import type { HealthRegistry, HealthReport } from './health.registry';
import type { RuntimeLogger } from './runtime.logger';
import { BARS_TABLE, DATES_TABLE, INDUSTRIES_TABLE, MARKERS_TABLE } from './tables';
import { ensureStreamingTopics } from './topics';

export interface StreamOptions {
  readonly restatementWindow?: number;
}

export interface ClosedDateConsumerDeps {
  readonly service: string;
  readonly config: RegionConfig;
  readonly bus: BusPort;
  readonly store: StorePort;
  readonly codecs: EventCodecs;
  readonly logger: RuntimeLogger;
  readonly health: HealthRegistry;
  /** The service's own output tables, created before consuming. */
  readonly tables: readonly TableSpec[];
  readonly stream?: StreamOptions;
}

/**
 * The bars consumer of a date-driven service (features, labels, scorer):
 * creates topics and tables, resumes from the store, runs the ingestion
 * stream with the service's DateProcessor as the use case, reports progress
 * on /health and stops gracefully.
 */
export class ClosedDateConsumer {
  private subscription: Subscription | null = null;
  private runner: ClosedDateRunner | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private stopping = false;
  private lastDate: ClosedDate | null = null;
  private ingested = 0;
  private readonly abort = new AbortController();
  private markReady: () => void = () => undefined;
  /** Resolves once the consumer resumed from the store and is consuming (`lastDay` is then meaningful). */
  readonly ready: Promise<void> = new Promise((resolve) => (this.markReady = resolve));

  constructor(private readonly deps: ClosedDateConsumerDeps) {}

  async start(processor: DateProcessor, onDate?: (closed: ClosedDate) => void): Promise<void> {
    const { service, config, bus, store, health } = this.deps;
    await ensureStreamingTopics(bus, config);
    await store.ensureTables([BARS_TABLE, MARKERS_TABLE, INDUSTRIES_TABLE, DATES_TABLE, ...this.deps.tables]);
    const archive = new BarArchive(store, config.region, service);
    health.register(service, () => this.report());
    if (config.streaming.consumers === 'shared') await this.startShared(archive, processor, onDate);
    else await this.startSingle(archive, processor, onDate);
    this.markReady();
  }

  /** `consumers: single`: this instance consumes every bars partition and closes dates in memory. */
  private async startSingle(
    archive: BarArchive,
    processor: DateProcessor,
    onDate?: (closed: ClosedDate) => void,
  ): Promise<void> {
    const { service, config, bus, codecs, logger } = this.deps;
    const runner = this.newRunner(archive, processor);
    const resume = await runner.resume();
    const window = this.deps.stream?.restatementWindow;
    this.subscription = startClosedDateStream({
      bus,
      codecs,
      config,
      service,
      groupId: consumerGroup(config, service),
      archive,
      resume,
      restatementWindow: window,
      logger,
      handle: (closed) => this.track(runner, closed, onDate),
      onError: (error) => this.fail(error),
    });
    logger.info(
      `consuming ${config.streaming.kafka.topics.bars} + ${config.streaming.kafka.topics.eod} as group ${consumerGroup(config, service)}`,
    );
  }

  /**
   * `consumers: shared`: this instance ingests its share of the bars
   * partitions and, while it owns the EOD partition, closes dates from the
   * store (see shared-consumer.streams.ts).
   */
  private async startShared(
    archive: BarArchive,
    processor: DateProcessor,
    onDate?: (closed: ClosedDate) => void,
  ): Promise<void> {
    const { service, config, bus, store, codecs, logger } = this.deps;
    await archive.load();
    const processedAfter = async (after: number | null): Promise<number | null> => {
      const rows = await store.read(DATES_TABLE.name, {
        region: config.region,
        from: after === null ? undefined : formatIsoDay(after + 1),
      });
      let last = after;
      for (let r = 0; r < rows.length; r++)
        if (rows.instruments[rows.instrument[r]] === service && (last === null || rows.date[r] > last))
          last = rows.date[r];
      return last;
    };
    const shared = {
      bus,
      codecs,
      config,
      service,
      archive,
      logger,
      onError: (error: unknown) => this.fail(error),
    };
    const ingest = startIngestStream({
      ...shared,
      processedThrough: processedAfter,
      onIngested: (n) => (this.ingested += n),
    });
    let runner = this.newRunner(archive, processor);
    await runner.resume();
    const closer = startCloserStream({
      ...shared,
      signal: this.abort.signal,
      get runner() {
        return runner;
      },
      handle: (closed) => this.track(runner, closed, onDate),
      beforeMarker: async () => {
        // Another instance closed dates while this one stood by: rebuild from the store before taking over.
        if ((await processedAfter(runner.lastDay)) === runner.lastDay) return;
        runner = this.newRunner(archive, processor);
        await runner.resume();
      },
    });
    ingest.add(closer);
    this.subscription = ingest;
    logger.info(
      `ingesting ${config.streaming.kafka.topics.bars} as group ${consumerGroup(config, service)}, closing dates from ${config.streaming.kafka.topics.eod} as group ${consumerGroup(config, service)}-close`,
    );
  }

  private newRunner(archive: BarArchive, processor: DateProcessor): ClosedDateRunner {
    const { service, config, store, logger } = this.deps;
    this.runner = new ClosedDateRunner(
      store,
      config.region,
      service,
      archive,
      processor,
      logger,
      this.deps.stream?.restatementWindow,
    );
    return this.runner;
  }

  /** Runs one closed date; `stop` waits for it. */
  private track(
    runner: ClosedDateRunner,
    closed: ClosedDate,
    onDate?: (closed: ClosedDate) => void,
  ): Promise<void> {
    const work = runner.handle(closed).then(() => {
      this.lastDate = closed;
      onDate?.(closed);
    });
    this.inFlight = work.catch(() => undefined);
    return work;
  }

  private fail(error: unknown): void {
    this.failure = error;
    this.deps.logger.error(
      `consumer stopped: ${String(error)}; its uncommitted batches will be delivered again after a restart`,
      {
        stack: error instanceof Error ? error.stack : undefined,
      },
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
      await this.deps.store.flush();
    } catch (error) {
      this.deps.logger.warn(`store flush on shutdown failed: ${String(error)}`);
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

  private report(): HealthReport {
    const last = this.runner?.lastDay ?? null;
    const at = this.runner?.lastProcessedAt ?? 0;
    return {
      ok: this.failure === null,
      error: this.failure === null ? undefined : String(this.failure),
      stopping: this.stopping,
      consumers: this.deps.config.streaming.consumers,
      bars_ingested: this.deps.config.streaming.consumers === 'shared' ? this.ingested : undefined,
      dates_processed: this.runner?.datesProcessed ?? 0,
      last_date: last === null ? null : formatIsoDay(last),
      last_revision: this.lastDate?.revision ?? null,
      // Lag as seen by the service: time since it last finished a date (the bus adapters expose no offsets lag).
      ms_since_last_date: at === 0 ? null : Date.now() - at,
    };
  }
}
