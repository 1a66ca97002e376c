import { Inject, Injectable } from '@nestjs/common';
import type { BusPort } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { parseIsoDay } from '@alphafeed/core';
import type { TrainResult } from '@alphafeed/training';
import { gitSha } from '@alphafeed/ops';
import { BUS, CODECS, CONFIG } from '@alphafeed/runtime';
import { ensureStreamingTopics } from '@alphafeed/streaming';

/** Publishes `ModelTrained` (key = region) on `models.v1` once the model set is stored. */
@Injectable()
export class ModelTrainedPublisher {
  private topics: Promise<void> | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
  ) {}

  async publish(result: TrainResult, artifactPath: string): Promise<void> {
    const cv: Record<string, number> = {};
    for (const s of result.scores) {
      if (s.fold_id === 'oof' && (s.metric === 'ic' || s.metric === 'rank_ic'))
        cv[`${s.metric}_${s.horizon}_${s.model}`] = s.value;
    }
    const value = this.codecs.modelTrained.encode({
      region: result.region,
      model_version: result.modelVersion,
      config_hash: result.configHash,
      git_sha: gitSha(),
      trained_at: Date.now(),
      data_start: parseIsoDay(result.dataRange.first),
      data_end: parseIsoDay(result.dataRange.last),
      label_cutoff: parseIsoDay(result.labelCutoff),
      artifact_path: artifactPath,
      cv,
    });
    this.topics ??= ensureStreamingTopics(this.bus, this.config);
    await this.topics;
    await this.bus.publish(this.config.streaming.kafka.topics.models, [
      { key: Buffer.from(result.region, 'utf8'), value },
    ]);
  }
}
