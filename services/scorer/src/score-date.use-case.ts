import { Inject, Injectable } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import type { FeatureFrame, MemberOracle } from '@alphafeed/core';
import type { FeatureEngine } from '@alphafeed/features';
import { CONFIG } from '@alphafeed/runtime';
import {
  EngineDictionaries,
  createFeatureEngine,
  engineMembership,
  readMembershipTable,
} from '@alphafeed/streaming';
import type { ClosedDate, DateProcessor } from '@alphafeed/streaming';
import { AlphasPublisher } from './alphas.publisher';
import { ModelSetHolder } from './model-set.holder';

/**
 * Use case "a date closed" for the scorer: advance the scorer's own
 * incremental FeatureEngine (the same engine as the features service, so the
 * same rows, without waiting on another service's store write), and when a
 * model set is loaded score the date's rows and stage the alphas (the
 * runner's `flush` writes and publishes them, see AlphasPublisher). Dates
 * closed before the first model are scored by the model swap's rerun of the
 * processed dates (see ModelSwapUseCase).
 */
@Injectable()
export class ScoreDateUseCase implements DateProcessor {
  private engine: FeatureEngine | null = null;
  private readonly ids = new EngineDictionaries();
  private calendar: readonly number[] = [];
  private readonly membership: MemberOracle | null;
  /** Duration of the last live scoring (predict + store + publish), ms. */
  lastScoreMs: number | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(ModelSetHolder) private readonly holder: ModelSetHolder,
    @Inject(AlphasPublisher) private readonly publisher: AlphasPublisher,
  ) {
    this.membership = engineMembership(readMembershipTable(config), this.ids, () => this.calendar);
  }

  reset(): void {
    this.engine = null;
  }

  step(
    closed: ClosedDate,
    position: number,
    calendar: readonly number[],
    publish: { readonly revision: number } | null,
  ): Promise<number> {
    return this.holder.exclusive(async () => {
      const started = Date.now();
      this.calendar = calendar;
      const engine = (this.engine ??= createFeatureEngine(this.config, closed, this.membership));
      const rows = engine.closeDate(position, this.ids.dateBars(closed));
      const n = rows.length;
      const set = this.holder.current;
      // The date's feature rows, scored or not: recorded in closed_dates, it must not depend on when a model arrived.
      if (publish === null || set === null || n === 0 || closed.day < set.dataStartDay) return n;
      const frame: FeatureFrame = {
        calendar: [closed.date],
        instruments: this.ids.instruments,
        industries: this.ids.industries,
        featureNames: engine.featureNames,
        length: n,
        date: new Int32Array(n),
        instrument: rows.instrument.slice(0, n),
        industry: rows.industry.slice(0, n),
        carried: rows.carried.slice(0, n),
        features: rows.features.map((c) => c.slice(0, n)),
        beta252: rows.beta252.slice(0, n),
        size: rows.size.slice(0, n),
        momentum: rows.momentum.slice(0, n),
      };
      const scored = this.holder.score(
        frame,
        new Int32Array(n).fill(closed.day),
        new Int32Array(n).fill(publish.revision),
      );
      await this.publisher.stage(scored);
      this.lastScoreMs = Date.now() - started;
      return n;
    });
  }

  /** Writes and publishes what the steps since the last flush staged (one Kafka transaction). */
  flush(): Promise<void> {
    return this.publisher.flush();
  }

  /** A term as the closing member begins: open the transactional publisher, publish what a crash left unpublished. */
  open(): Promise<void> {
    return this.publisher.open();
  }

  /**
   * The first processed day from the current model's data start that the
   * model has no published alphas for (a model swapped in while this member
   * stood by, or a swap's rerun cut short): the rebuild pass scores from it
   * on (already published dates are dropped at staging).
   */
  republishFrom(calendar: readonly number[]): Promise<number | null> {
    const set = this.holder.current;
    if (set === null) return Promise.resolve(null);
    const day = calendar.find((d) => d >= set.dataStartDay && !this.publisher.hasEntry(d, set.modelVersion));
    return Promise.resolve(day ?? null);
  }
}
