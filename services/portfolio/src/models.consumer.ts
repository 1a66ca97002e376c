import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { BusPort, Subscription } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { deadLetterPublisher } from '@alphafeed/pipeline';
import type { Logger } from '@alphafeed/ops';
import { BUS, CODECS, CONFIG, LOGGER, STORE } from '@alphafeed/runtime';
import type { StorePort } from '@alphafeed/store';
import { consumerGroup, ensureStreamingTopics } from '@alphafeed/streaming';
import { ModelCatalog } from './model-catalog';
import { MODEL_HORIZONS_TABLE } from './portfolio.tables';
import { TargetsPublisher } from './targets.publisher';

export const PORTFOLIO_SERVICE = 'portfolio';

/**
 * Follows `models.v1` into the ModelCatalog (undecodable → dead letter).
 * A group unique per process, from the beginning: every portfolio process
 * knows every model after a restart.
 */
@Injectable()
export class PortfolioModelsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription: Subscription | null = null;
  failure: string | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(TargetsPublisher) private readonly targets: TargetsPublisher,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureStreamingTopics(this.bus, this.config);
    await this.targets.ensureTopics(); // a `tail targets` before the first rebalance finds the topic
    await this.store.ensureTables([MODEL_HORIZONS_TABLE]);
    const deadLetters = deadLetterPublisher({
      sink: this.bus,
      codecs: this.codecs,
      service: PORTFOLIO_SERVICE,
    });
    this.subscription = await this.bus.subscribe(
      {
        groupId: `${consumerGroup(this.config, PORTFOLIO_SERVICE)}-models-${randomUUID().slice(0, 8)}`,
        topics: [this.config.streaming.kafka.topics.models],
        fromBeginning: true,
      },
      async (batch) => {
        for (const message of batch) {
          let event;
          try {
            event = this.codecs.modelTrained.decode(message.value);
          } catch (error) {
            await deadLetters([
              { reason: 'undecodable', code: 'DECODE_FAILED', detail: String(error), source: message },
            ]);
            continue;
          }
          try {
            await this.catalog.add(event);
            this.failure = null;
          } catch (error) {
            this.failure = `model ${event.model_version} not catalogued: ${String(error)}`;
            this.logger.error(this.failure);
          }
        }
      },
    );
    this.logger.info(`following ${this.config.streaming.kafka.topics.models} for the models' retrain dates`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
  }
}
