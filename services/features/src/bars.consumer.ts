import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { StorePort } from '@alphafeed/store';
import {
  BUS,
  CODECS,
  CONFIG,
  ClosedDateConsumer,
  HealthRegistry,
  RUNTIME_LOGGER,
  STORE,
  STREAM_OPTIONS,
} from '@alphafeed/runtime';
import type { RuntimeLogger, StreamOptions } from '@alphafeed/runtime';
import { FeaturesCloseDateUseCase } from './features.close-date.use-case';

export const FEATURES_SERVICE = 'features';

/**
 * Thin handler: bars and markers in (via the shared ingestion stream), one
 * use case per closed date, offsets committed after its store write.
 */
@Injectable()
export class BarsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: ClosedDateConsumer;

  constructor(
    @Inject(CONFIG) config: RegionConfig,
    @Inject(BUS) bus: BusPort,
    @Inject(STORE) store: StorePort,
    @Inject(CODECS) codecs: EventCodecs,
    @Inject(RUNTIME_LOGGER) logger: RuntimeLogger,
    @Inject(HealthRegistry) health: HealthRegistry,
    @Inject(STREAM_OPTIONS) stream: StreamOptions,
    @Inject(FeaturesCloseDateUseCase) private readonly useCase: FeaturesCloseDateUseCase,
  ) {
    this.consumer = new ClosedDateConsumer({
      service: FEATURES_SERVICE,
      config,
      bus,
      store,
      codecs,
      logger,
      health,
      stream,
      tables: [useCase.table],
    });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start(this.useCase);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
