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
 * model set is loaded score the date's rows and publish the alphas. Dates
 * closed before the first model are not scored here; the model swap scores
 * them from the stored features (see ModelSwapUseCase).
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
      const set = this.holder.current;
      if (publish === null || set === null || rows.length === 0 || closed.day < set.dataStartDay) return 0;
      const n = rows.length;
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
      await this.publisher.publish(scored);
      this.lastScoreMs = Date.now() - started;
      return n;
    });
  }
}
