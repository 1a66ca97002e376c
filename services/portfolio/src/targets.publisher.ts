import { Inject, Injectable } from '@nestjs/common';
import type { BusPort, OutgoingMessage } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { BUS, CODECS, CONFIG, STORE } from '@alphafeed/runtime';
import type { StorePort } from '@alphafeed/store';
import { STATUS_CODES, TARGET_WEIGHTS_TABLE } from './portfolio.tables';

/** The decision of one rebalance date, aligned arrays. */
export interface TargetRows {
  readonly day: number;
  readonly instruments: readonly string[];
  readonly weight: Float64Array;
  readonly previousWeight: Float64Array;
  readonly modelId: string;
  /** optimal | relaxed | kept_current | no_alphas. */
  readonly status: keyof typeof STATUS_CODES;
  readonly reason: string | null;
  readonly exAnteVol: number;
  readonly revision: number;
  readonly configHash: string;
}

/**
 * Writes a decision to `target_weights` (upsert on region, date,
 * instrument), then publishes it as TargetWeights events keyed by
 * instrument on `targets.daily.v1`, in batches; resolves when the broker
 * acknowledged, so the caller may commit its offsets after it.
 */
@Injectable()
export class TargetsPublisher {
  private published = 0;
  private topics: Promise<void> | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
  ) {}

  get count(): number {
    return this.published;
  }

  /** Creates `targets.daily.v1` (and its dead-letter topic) if missing. */
  ensureTopics(): Promise<void> {
    const k = this.config.streaming.kafka;
    return (this.topics ??= this.bus.ensureTopics([
      { name: k.topics.targets, partitions: k.partitions },
      { name: `${k.topics.targets}${k.topics.dead_letter_suffix}`, partitions: 1 },
    ]));
  }

  async publish(rows: TargetRows): Promise<void> {
    const n = rows.instruments.length;
    if (n === 0) return;
    const region = this.config.region;
    await this.store.write(TARGET_WEIGHTS_TABLE.name, {
      region,
      length: n,
      date: new Int32Array(n).fill(rows.day),
      instrument: Int32Array.from({ length: n }, (_, i) => i),
      instruments: rows.instruments,
      columns: {
        weight: rows.weight,
        previous_weight: rows.previousWeight,
        ex_ante_vol: new Float64Array(n).fill(rows.exAnteVol),
        status_code: new Float64Array(n).fill(STATUS_CODES[rows.status]),
        revision: new Float64Array(n).fill(rows.revision),
      },
      tags: { model_id: rows.modelId, config_hash: rows.configHash, status: rows.status },
    });
    await this.ensureTopics();
    const topic = this.config.streaming.kafka.topics.targets;
    const BATCH = 5000;
    for (let start = 0; start < n; start += BATCH) {
      const stop = Math.min(n, start + BATCH);
      const messages: OutgoingMessage[] = new Array(stop - start);
      for (let i = start; i < stop; i++) {
        messages[i - start] = {
          key: Buffer.from(rows.instruments[i], 'utf8'),
          value: this.codecs.targetWeights.encode({
            region,
            date: rows.day,
            instrument: rows.instruments[i],
            weight: rows.weight[i],
            previous_weight: rows.previousWeight[i],
            model_id: rows.modelId,
            revision: rows.revision,
            config_hash: rows.configHash,
            status: rows.status,
            reason: rows.reason,
            ex_ante_vol: rows.exAnteVol,
          }),
        };
      }
      await this.bus.publish(topic, messages);
    }
    this.published += n;
  }
}
