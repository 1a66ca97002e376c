import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { StorePort, TableSpec } from '@alphafeed/store';
import { ClosedDateConsumer } from './closed-date.consumer';
import type { StreamOptions } from './closed-date.consumer';
import type { DateProcessor } from './closed-date.runner';
import { HealthRegistry } from './health.registry';
import type { RuntimeLogger } from './runtime.logger';
import { BUS, CODECS, CONFIG, RUNTIME_LOGGER, STORE, STREAM_OPTIONS } from './tokens';

/** Builds the ClosedDateConsumer of a date-driven service from the runtime's providers. */
@Injectable()
export class ClosedDateConsumers {
  constructor(
    @Inject(CONFIG) readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
    @Inject(RUNTIME_LOGGER) private readonly logger: RuntimeLogger,
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(STREAM_OPTIONS) private readonly stream: StreamOptions,
  ) {}

  /** `tables`: the service's own output tables, created before consuming. */
  create(service: string, tables: readonly TableSpec[]): ClosedDateConsumer {
    const { config, bus, store, codecs, logger, health, stream } = this;
    return new ClosedDateConsumer({ service, config, bus, store, codecs, logger, health, stream, tables });
  }
}

/**
 * The thin bars handler of a date-driven service (features, labels, scorer):
 * bars and markers in through the shared ingestion stream, the service's use
 * case per closed date, offsets committed after its store write; started on
 * bootstrap, stopped gracefully before shutdown.
 */
export abstract class ClosedDateHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected constructor(
    readonly consumer: ClosedDateConsumer,
    private readonly useCase: DateProcessor,
  ) {}

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start(this.useCase);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
