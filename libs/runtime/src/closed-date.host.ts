import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { Logger, ServiceMetrics } from '@alphafeed/ops';
import type { StorePort, TableSpec } from '@alphafeed/store';
import { DateConsumer } from '@alphafeed/streaming';
import type { DateProcessor } from '@alphafeed/streaming';
import { HealthRegistry } from './health.registry';
import { BUS, CODECS, CONFIG, LOGGER, METRICS, STORE, STREAM_OPTIONS } from './tokens';

/** Options of the date-driven consumers a runtime module builds. */
export interface StreamOptions {
  /** Processed dates whose bars a `single` consumer keeps in memory for corrections (default 300). */
  readonly cacheDates?: number;
}

/** Builds the DateConsumer of a date-driven service from the runtime's providers. */
@Injectable()
export class ClosedDateConsumers {
  constructor(
    @Inject(CONFIG) readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(STREAM_OPTIONS) private readonly stream: StreamOptions,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
  ) {}

  /** `tables`: the service's own output tables, created before consuming. Reports on /health as `service`. */
  create(service: string, tables: readonly TableSpec[]): DateConsumer {
    const { config, bus, store, codecs, logger } = this;
    const consumer = new DateConsumer({
      service,
      config,
      bus,
      store,
      codecs,
      logger,
      tables,
      cacheDates: this.stream.cacheDates,
      metrics: this.metrics,
    });
    this.health.register(service, () => consumer.report());
    return consumer;
  }
}

/**
 * The thin bars handler of a date-driven service (features, labels, scorer):
 * bars and markers in through the streaming core's DateConsumer, the
 * service's use case per closed date, offsets committed after its store
 * write; started on bootstrap, stopped gracefully before shutdown.
 */
export abstract class ClosedDateHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected constructor(
    readonly consumer: DateConsumer,
    private readonly useCase: DateProcessor,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start(this.useCase);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
