import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { BusPort, Subscription } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { deadLetterPublisher } from '@alphafeed/pipeline';
import type { Logger } from '@alphafeed/ops';
import { BUS, CODECS, CONFIG, LOGGER } from '@alphafeed/runtime';
import { consumerGroup, ensureStreamingTopics } from '@alphafeed/streaming';
import { ModelSwapUseCase } from './model-swap.use-case';
import { ScorerBarsConsumer } from './bars.consumer';

/**
 * Thin handler of `models.v1`: decode ModelTrained (undecodable → dead
 * letter), hand it to the swap use case, acknowledge. Every scorer process
 * must see every model, so the group is unique per process and reads from
 * the beginning: after a restart the latest model comes back (models the
 * process cannot load are skipped with a warning).
 */
@Injectable()
export class ModelsConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private subscription: Subscription | null = null;
  /** Why the last swap failed, null after a successful one. */
  failure: string | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModelSwapUseCase) private readonly swap: ModelSwapUseCase,
    @Inject(ScorerBarsConsumer) private readonly bars: ScorerBarsConsumer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await ensureStreamingTopics(this.bus, this.config);
    // Swap only once the scorer knows which dates it closed (resumed from the store), or a swap could skip the rescoring.
    await this.bars.consumer.ready;
    const deadLetters = deadLetterPublisher({ sink: this.bus, codecs: this.codecs, service: 'scorer' });
    this.subscription = await this.bus.subscribe(
      {
        groupId: `${consumerGroup(this.config, 'scorer')}-models-${randomUUID().slice(0, 8)}`,
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
            await this.swap.onModelTrained(event, (fromDay) => this.bars.consumer.rerun(fromDay));
          } catch (error) {
            // Keep following models.v1 (a stopped subscription would never swap again); /health turns 503 until a swap succeeds.
            this.failure = `swap to ${event.model_version} failed: ${String(error)}`;
            this.logger.error(this.failure);
            continue;
          }
          this.failure = null;
        }
      },
    );
    this.logger.info(`following ${this.config.streaming.kafka.topics.models} for model swaps`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    this.subscription = null;
  }
}
