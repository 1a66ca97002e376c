import { Inject, Injectable } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import { PollTimeoutError, poll } from '@alphafeed/ops';
import { CONFIG, STORE } from '@alphafeed/runtime';
import type { StorePort } from '@alphafeed/store';
import { ALPHAS_TABLE, readServiceCalendar } from '@alphafeed/streaming';
import type { ServiceCalendar } from '@alphafeed/streaming';
import { ModelCatalog } from './model-catalog';
import type { CatalogModel } from './model-catalog';

/** The alphas of one date as the scorer published them (bps), instruments by code. */
export interface DateAlphas {
  readonly instruments: readonly string[];
  readonly alphaBps: Float64Array;
  readonly horizonDays: number;
  readonly modelId: string;
}

/** How long a date waits for the scorer to record it (the scorer may be training-bound or catching up). */
export const SCORER_WAIT_MS = 15 * 60_000;

/**
 * Reads the alphas of a closed date: waits until the scorer recorded the
 * date in `closed_dates` (the documented cross-service pattern), then reads
 * its rows of the model the scorer scored the date with.
 *
 * Which model: the scorer scores a live date with the model it holds at
 * that close, which is the latest model whose label cut-off is before the
 * date (a model trained at T scores T < t; in a point-in-time replay
 * exactly SPEC §9's `(T_j, T_j+1]`). A model swap also rescores earlier
 * dates with the new model (in-sample for it): those rows are never chosen,
 * their model's cut-off is not before the date. The choice is confirmed by
 * the row count the scorer recorded for the date; while this process has
 * not yet seen the model's ModelTrained event (consumer lag), it polls.
 * A date the scorer recorded with 0 rows (no model yet) has no alphas.
 */
@Injectable()
export class DateAlphasReader {
  /** The scorer's recorded dates as last read: most dates are found here without a store query. */
  private scorer: ServiceCalendar | null = null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(STORE) private readonly store: StorePort,
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
  ) {}

  /** Forget the cached scorer calendar (a rebuild after a restatement reads the scorer's new counts). */
  reset(): void {
    this.scorer = null;
  }

  async read(day: number, timeoutMs = SCORER_WAIT_MS): Promise<DateAlphas | null> {
    const region = this.config.region;
    const iso = formatIsoDay(day);
    if (this.scorer === null || !this.scorer.days.includes(day))
      this.scorer = await poll(
        () => readServiceCalendar(this.store, region, 'scorer'),
        (c) => c.days.includes(day),
        { initialMs: 20, maxMs: 250, timeoutMs, what: `the scorer to record ${iso}` },
      );
    const scorer = this.scorer;
    const expected = scorer.rows[scorer.days.indexOf(day)];
    if (expected === 0) return null;
    let lastTried: CatalogModel | null = null;
    let lastSeen = 0;
    try {
      return await poll(
        async (): Promise<DateAlphas | null> => {
          const model = this.catalog.before(day)[0];
          if (model === undefined) return null;
          lastTried = model;
          const rows = await this.store.read(ALPHAS_TABLE.name, {
            region,
            from: iso,
            to: iso,
            tags: { model_version: model.modelVersion },
          });
          lastSeen = rows.length;
          if (rows.length !== expected) return null;
          return {
            instruments: Array.from(rows.instrument, (i) => rows.instruments[i]),
            alphaBps: rows.columns.alpha_combined,
            horizonDays: model.horizonDays,
            modelId: model.modelVersion,
          };
        },
        (value) => value !== null,
        { initialMs: 20, maxMs: 250, timeoutMs: Math.min(timeoutMs, 120_000), what: `alphas of ${iso}` },
      );
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      const tried = lastTried as CatalogModel | null;
      throw new Error(
        `alphas of ${iso}: the scorer recorded ${expected} rows, ` +
          (tried === null
            ? `but no model with a label cut-off before ${iso} arrived on ${this.config.streaming.kafka.topics.models}`
            : `the store shows ${lastSeen} for ${tried.modelVersion} (the latest model known with a cut-off before it)`) +
          '; check the scorer and trainer',
        { cause: error },
      );
    }
  }
}
