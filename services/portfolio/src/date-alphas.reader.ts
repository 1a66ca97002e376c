import { Inject, Injectable } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import { PollTimeoutError, poll } from '@alphafeed/ops';
import { CONFIG, STORE } from '@alphafeed/runtime';
import type { StorePort } from '@alphafeed/store';
import { ALPHAS_PUBLISHED_TABLE, ALPHAS_TABLE, readServiceCalendar } from '@alphafeed/streaming';
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

/** The date has no alphas: no model with a cut-off before it scored it. */
const NO_ALPHAS = Symbol('no alphas');

/** How long a date waits for the scorer to record it (the scorer may be training-bound or catching up). */
export const SCORER_WAIT_MS = 15 * 60_000;

/**
 * Reads the alphas of a closed date: waits until the scorer recorded the
 * date in `closed_dates` (the documented cross-service pattern), then reads
 * its rows of the model the scorer scored the date with.
 *
 * Which model: the scorer scores a live date with the model it holds at
 * that close; a model trained at T has its label cut-off at T, so that is the
 * latest model with a cut-off before the date (in a point-in-time replay
 * exactly SPEC §9's `(T_j, T_j+1]`). The scorer's publication ledger
 * (`alphas_published`, one row per date and model with the row count) says
 * which models scored the date; a model swap also rescores earlier dates
 * with the new model (in-sample for it), and those rows are never chosen:
 * their model's cut-off is not before the date. While a model in the ledger
 * is unknown here (this process has not yet seen its ModelTrained event), it
 * polls. A date no model with an earlier cut-off scored has no alphas.
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
    let lastTried: CatalogModel | null = null;
    let expected = 0;
    let lastSeen = 0;
    try {
      const found = await poll(
        async (): Promise<DateAlphas | typeof NO_ALPHAS | null> => {
          const ledger = await this.store.read(ALPHAS_PUBLISHED_TABLE.name, { region, from: iso, to: iso });
          const scored = new Map<string, number>();
          for (let r = 0; r < ledger.length; r++)
            scored.set(ledger.instruments[ledger.instrument[r]], ledger.columns.rows[r]);
          if ([...scored.keys()].some((version) => !this.catalog.has(version))) return null;
          const model = this.catalog.before(day).find((m) => scored.has(m.modelVersion));
          if (model === undefined) return NO_ALPHAS;
          lastTried = model;
          expected = scored.get(model.modelVersion) as number;
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
      return found === NO_ALPHAS ? null : found;
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      const tried = lastTried as CatalogModel | null;
      throw new Error(
        `alphas of ${iso}: ` +
          (tried === null
            ? `the scorer's ledger names a model not yet announced on ${this.config.streaming.kafka.topics.models}`
            : `the scorer recorded ${expected} rows of ${tried.modelVersion}, the store shows ${lastSeen}`) +
          '; check the scorer and trainer',
        { cause: error },
      );
    }
  }
}
