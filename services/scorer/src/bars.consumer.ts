import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { StorePort } from '@alphafeed/store';
import { ALPHAS_TABLE, BUS, CODECS, CONFIG, ClosedDateConsumer, featuresTable, HealthRegistry, RUNTIME_LOGGER, STORE, STREAM_OPTIONS } from '@alphafeed/runtime';
import type { RuntimeLogger, StreamOptions } from '@alphafeed/runtime';
import { ScoreDateUseCase } from './score-date.use-case';

export const SCORER_SERVICE = 'scorer';

/**
 * Thin handler: bars and markers in (via the shared ingestion stream), one
 * use case per closed date, offsets committed after its store write.
 */
@Injectable()
export class ScorerBarsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly consumer: ClosedDateConsumer;

  constructor(
    @Inject(CONFIG) config: RegionConfig,
    @Inject(BUS) bus: BusPort,
    @Inject(STORE) store: StorePort,
    @Inject(CODECS) codecs: EventCodecs,
    @Inject(RUNTIME_LOGGER) logger: RuntimeLogger,
    @Inject(HealthRegistry) health: HealthRegistry,
    @Inject(STREAM_OPTIONS) stream: StreamOptions,
    @Inject(ScoreDateUseCase) private readonly useCase: ScoreDateUseCase,
  ) {
    this.consumer = new ClosedDateConsumer({ service: SCORER_SERVICE, config, bus, store, codecs, logger, health, stream, tables: [ALPHAS_TABLE, featuresTable(config.features.names)] });
  }

  onApplicationBootstrap(): Promise<void> {
    return this.consumer.start(this.useCase);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.consumer.stop();
  }
}
