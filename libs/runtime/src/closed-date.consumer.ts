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
  private markReady: () => void = () => undefined;
  /** Resolves once the consumer resumed from the store and is consuming (`lastDay` is then meaningful). */
  readonly ready: Promise<void> = new Promise((resolve) => (this.markReady = resolve));

  constructor(private readonly deps: ClosedDateConsumerDeps) {}

  async start(processor: DateProcessor, onDate?: (closed: ClosedDate) => void): Promise<void> {
    const { service, config, bus, store, codecs, logger, health } = this.deps;
    await ensureStreamingTopics(bus, config);
    await store.ensureTables([BARS_TABLE, MARKERS_TABLE, INDUSTRIES_TABLE, DATES_TABLE, ...this.deps.tables]);
    const archive = new BarArchive(store, config.region, service);
    const window = this.deps.stream?.restatementWindow;
    const runner = new ClosedDateRunner(store, config.region, service, archive, processor, logger, window);
    this.runner = runner;
    const resume = await runner.resume();
    health.register(service, () => this.report());
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
      handle: (closed) => {
        const work = runner.handle(closed).then(() => {
          this.lastDate = closed;
          onDate?.(closed);
        });
        this.inFlight = work.catch(() => undefined);
        return work;
      },
      onError: (error) => {
        this.failure = error;
        logger.error(`consumer stopped: ${String(error)}; its uncommitted batches will be delivered again after a restart`, {
          stack: error instanceof Error ? error.stack : undefined,
        });
      },
    });
    this.markReady();
    logger.info(`consuming ${config.streaming.kafka.topics.bars} + ${config.streaming.kafka.topics.eod} as group ${consumerGroup(config, service)}`);
  }

  /** Finishes the date in flight, stops consuming (uncommitted batches are redelivered), flushes the store. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
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
      dates_processed: this.runner?.datesProcessed ?? 0,
      last_date: last === null ? null : formatIsoDay(last),
      last_revision: this.lastDate?.revision ?? null,
      // Lag as seen by the service: time since it last finished a date (the bus adapters expose no offsets lag).
      ms_since_last_date: at === 0 ? null : Date.now() - at,
    };
  }
}
