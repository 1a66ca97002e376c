import { Injectable } from '@nestjs/common';
import type { FeatureFrame } from '@alphafeed/core';
import { predictAlphas } from '@alphafeed/training';
import type { LoadedModelSet } from '@alphafeed/streaming';
import type { ScoredRows } from './alphas.publisher';

/**
 * The scorer's current model set and the lock that serialises scoring with
 * hot swaps: a date is scored entirely with one model, and a swap waits for
 * the date in flight.
 */
@Injectable()
export class ModelSetHolder {
  current: (LoadedModelSet & { readonly dataStartDay: number }) | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `work` after everything queued before it (a promise-chain mutex). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Scores every row of `frame` (SPEC §6 chain; neutralisation per date, so
   * scoring a date alone or inside a longer frame gives the same alphas).
   */
  score(frame: FeatureFrame, day: Int32Array, revision: Int32Array): ScoredRows {
    const set = this.current;
    if (set === null) throw new Error('score called without a model set');
    const p = predictAlphas(set.models, frame);
    const h21 = set.models.horizons.findIndex((h) => h.horizon === 21);
    const h63 = set.models.horizons.findIndex((h) => h.horizon === 63);
    const nan = new Float64Array(frame.length).fill(NaN);
    return {
      length: frame.length,
      day,
      instrument: Array.from(frame.instrument, (i) => frame.instruments[i]),
      alpha21: h21 < 0 ? nan : p.alphas[h21],
      alpha63: h63 < 0 ? nan : p.alphas[h63],
      combined: p.combined,
      var21: h21 < 0 ? NaN : set.models.horizons[h21].variance,
      var63: h63 < 0 ? NaN : set.models.horizons[h63].variance,
      revision,
      modelVersion: set.modelVersion,
      configHash: set.configHash,
    };
  }
}
