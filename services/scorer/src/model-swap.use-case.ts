import { Inject, Injectable } from '@nestjs/common';
import type { ModelTrainedEvent } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import type { Logger, ServiceMetrics } from '@alphafeed/ops';
import { CONFIG, LOGGER, METRICS, MODEL_REGISTRY } from '@alphafeed/runtime';
import { ModelRegistry } from '@alphafeed/streaming';
import { ModelSetHolder } from './model-set.holder';

/**
 * Scores the processed dates from `fromDay` on again with the current model
 * (the scorer's DateConsumer.rerun): the number of dates stepped, or null when
 * this member does not close dates now (a standby scores at its takeover).
 */
export type Rerun = (fromDay: number) => Promise<number | null>;

/**
 * Use case "a model was trained": hot-swap the scorer's model set, then
 * score the processed dates from the model's `data_start` that it has no
 * published alphas for yet.
 *
 * Rescoring rule: alphas exist for every feature row from the model's
 * `data_start` up to the last date the scorer closed, one set per
 * model_version. The swap reruns the scorer's own engine over its processed
 * dates (one pass over the bar archive, under the consumer's lock, so no live
 * date interleaves) and stages each date from `data_start` with its recorded
 * revision; the publisher drops the (date, model, revision) sets it already
 * published, so a redelivered or repeated ModelTrained publishes nothing
 * twice. Later dates are scored live as they close. A standby only loads the
 * model: when it takes over, its resume scores what the model has not
 * published (ScoreDateUseCase.republishFrom).
 */
@Injectable()
export class ModelSwapUseCase {
  /** Model version scoring live dates now. */
  current: string | null = null;
  /** Model version whose swap (incl. rescoring) finished last. */
  completed: string | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(MODEL_REGISTRY) private readonly registry: ModelRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(ModelSetHolder) private readonly holder: ModelSetHolder,
    @Inject(METRICS) private readonly metrics: ServiceMetrics,
  ) {}

  async onModelTrained(event: ModelTrainedEvent, rerun: Rerun): Promise<void> {
    if (event.region !== this.config.region) return;
    let set;
    try {
      set = await this.registry.get(event.model_version, event.artifact_path);
    } catch (error) {
      this.logger.warn(`ModelTrained ${event.model_version} skipped: ${String(error)}`);
      return;
    }
    const started = Date.now();
    // Swapped between two dates: a date is scored entirely with one model.
    await this.holder.exclusive(() => {
      this.holder.current = { ...set, dataStartDay: event.data_start };
      return Promise.resolve();
    });
    this.current = event.model_version;
    this.logger.bind({ model_id: event.model_version });
    this.metrics.setModel(event.model_version, Number(event.trained_at));
    const stepped = await rerun(event.data_start);
    this.completed = event.model_version;
    this.logger.info(
      stepped === null
        ? `model ${event.model_version} loaded (standing by: the dates it has not scored are scored when this member takes over)`
        : `model ${event.model_version} swapped in; ${stepped} processed dates from ${formatIsoDay(event.data_start)} scored where not yet published, in ${Date.now() - started} ms`,
    );
  }
}
