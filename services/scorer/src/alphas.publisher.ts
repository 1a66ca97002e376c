import { Inject, Injectable } from '@nestjs/common';
import type { BusPort, OutgoingMessage } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { StorePort } from '@alphafeed/store';
import { BUS, CODECS, CONFIG, STORE } from '@alphafeed/runtime';
import { ALPHAS_TABLE } from '@alphafeed/streaming';

/** Scored rows of one or more dates, aligned arrays, in bps (SPEC §4: alphas are in basis points). */
export interface ScoredRows {
  readonly length: number;
  readonly day: Int32Array;
  readonly instrument: readonly string[];
  readonly alpha21: Float64Array;
  readonly alpha63: Float64Array;
  readonly combined: Float64Array;
  readonly var21: number;
  readonly var63: number;
  readonly revision: Int32Array;
  readonly modelVersion: string;
  readonly configHash: string;
}

/**
 * Writes alphas to the `alphas` table (upsert on date, instrument,
 * model_version), then publishes them as Alpha events keyed by instrument on
 * `alphas.daily.v1`, in batches; resolves when the broker acknowledged, so
 * the caller may commit its offsets after it.
 */
@Injectable()
export class AlphasPublisher {
  private published = 0;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(BUS) private readonly bus: BusPort,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(CODECS) private readonly codecs: EventCodecs,
  ) {}

  get count(): number {
    return this.published;
  }

  async publish(rows: ScoredRows): Promise<void> {
    const n = rows.length;
    if (n === 0) return;
    const region = this.config.region;
    await this.store.write(ALPHAS_TABLE.name, {
      region,
      length: n,
      date: rows.day,
      instrument: Int32Array.from({ length: n }, (_, i) => i),
      instruments: rows.instrument,
      columns: {
        alpha_21d: rows.alpha21,
        alpha_63d: rows.alpha63,
        alpha_combined: rows.combined,
        var_21d: new Float64Array(n).fill(rows.var21),
        var_63d: new Float64Array(n).fill(rows.var63),
        revision: Float64Array.from(rows.revision),
      },
      tags: { model_version: rows.modelVersion, config_hash: rows.configHash },
    });
    const topic = this.config.streaming.kafka.topics.alphas;
    const BATCH = 5000;
    for (let start = 0; start < n; start += BATCH) {
      const stop = Math.min(n, start + BATCH);
      const messages: OutgoingMessage[] = new Array(stop - start);
      for (let i = start; i < stop; i++) {
        messages[i - start] = {
          key: Buffer.from(rows.instrument[i], 'utf8'),
          value: this.codecs.alpha.encode({
            date: rows.day[i],
            instrument: rows.instrument[i],
            region,
            alpha_21d: rows.alpha21[i],
            alpha_63d: rows.alpha63[i],
            alpha_combined: rows.combined[i],
            var_21d: rows.var21,
            var_63d: rows.var63,
            model_version: rows.modelVersion,
            config_hash: rows.configHash,
            revision: rows.revision[i],
          }),
        };
      }
      await this.bus.publish(topic, messages);
    }
    this.published += n;
  }
}
