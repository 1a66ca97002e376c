import { Inject, Injectable } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import type { MemberOracle } from '@alphafeed/core';
import type { FeatureEngine } from '@alphafeed/features';
import type { StorePort, TableSpec } from '@alphafeed/store';
import { CONFIG, STORE } from '@alphafeed/runtime';
import {
  EngineDictionaries,
  createFeatureEngine,
  engineMembership,
  featuresTable,
  readMembershipTable,
} from '@alphafeed/streaming';
import type { ClosedDate, DateProcessor } from '@alphafeed/streaming';

/**
 * Use case "a date closed": run it through the incremental FeatureEngine and
 * upsert the date's rows into the `features` table (SPEC §2–3). The engine is
 * the one the batch `computeFeatureFrame` drives, so stream and batch agree
 * by construction.
 * The engine is configured from the first date (`createFeatureEngine`);
 * turnover_20's column stays NaN without shares_out. With a membership table
 * (`data.universe_table`) only each date's members get rows (SPEC §1), as in
 * the batch.
 */
@Injectable()
export class FeaturesCloseDateUseCase implements DateProcessor {
  private engine: FeatureEngine | null = null;
  private readonly ids = new EngineDictionaries();
  private calendar: readonly number[] = [];
  private readonly membership: MemberOracle | null;
  readonly table: TableSpec;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(STORE) private readonly store: StorePort,
  ) {
    this.table = featuresTable(config.features.names);
    this.membership = engineMembership(readMembershipTable(config), this.ids, () => this.calendar);
  }

  reset(): void {
    this.engine = null;
  }

  async step(
    closed: ClosedDate,
    position: number,
    calendar: readonly number[],
    publish: { readonly revision: number } | null,
  ): Promise<number> {
    this.calendar = calendar;
    const bars = this.ids.dateBars(closed);
    const engine = (this.engine ??= createFeatureEngine(this.config, closed, this.membership));
    const rows = engine.closeDate(position, bars);
    if (publish === null || rows.length === 0) return 0;
    const n = rows.length;
    const columns: Record<string, Float64Array> = {};
    for (const name of this.config.features.names) columns[name] = new Float64Array(n).fill(NaN);
    engine.featureNames.forEach((name, f) => (columns[name] = rows.features[f].slice(0, n)));
    columns.beta_252 = rows.beta252.slice(0, n);
    columns.size = rows.size.slice(0, n);
    columns.momentum = rows.momentum.slice(0, n);
    columns.style_vol_60 = rows.vol60.slice(0, n);
    columns.carried = Float64Array.from(rows.carried.subarray(0, n));
    columns.revision = new Float64Array(n).fill(publish.revision);
    await this.store.write(this.table.name, {
      region: closed.region,
      length: n,
      date: new Int32Array(n).fill(closed.day),
      instrument: rows.instrument.slice(0, n),
      instruments: this.ids.instruments,
      columns,
    });
    return n;
  }
}
