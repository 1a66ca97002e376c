import { Inject, Injectable } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import type { MemberOracle } from '@alphafeed/core';
import type { LabelEngine } from '@alphafeed/labels';
import type { StorePort } from '@alphafeed/store';
import { CONFIG, STORE } from '@alphafeed/runtime';
import {
  EngineDictionaries,
  LABELS_TABLE,
  createLabelEngine,
  engineMembership,
  readMembershipTable,
} from '@alphafeed/streaming';
import type { ClosedDate, DateProcessor } from '@alphafeed/streaming';

/**
 * Use case "a date closed" for labels (SPEC §4): feed the date to the
 * incremental LabelEngine and write only what matured at this close — the
 * labels of horizon k for the date k positions back. Nothing about a date t
 * reaches the store before t + k closed, so a trainer reading with cut-off C
 * cannot see an immature label. Rows are upserts on
 * (region, date, instrument, horizon). With a membership table only
 * members are labelled (SPEC §1), their own returns from all their bars.
 */
@Injectable()
export class LabelsCloseDateUseCase implements DateProcessor {
  private engine: LabelEngine;
  private readonly ids = new EngineDictionaries();
  private calendar: readonly number[] = [];
  private readonly membership: MemberOracle | null;

  constructor(
    @Inject(CONFIG) private readonly config: RegionConfig,
    @Inject(STORE) private readonly store: StorePort,
  ) {
    this.membership = engineMembership(readMembershipTable(config), this.ids, () => this.calendar);
    this.engine = createLabelEngine(config, this.membership);
  }

  reset(): void {
    this.engine = createLabelEngine(this.config, this.membership);
  }

  async step(
    closed: ClosedDate,
    position: number,
    calendar: readonly number[],
    publish: { readonly revision: number } | null,
  ): Promise<number> {
    this.calendar = calendar;
    const step = this.engine.closeDate(position, this.ids.dateBars(closed));
    if (publish === null) return 0;
    let written = 0;
    for (const release of step.released) {
      const n = release.length;
      if (n === 0) continue;
      await this.store.write(LABELS_TABLE.name, {
        region: closed.region,
        length: n,
        date: new Int32Array(n).fill(calendar[release.dateIndex]),
        instrument: release.instrument.slice(0, n),
        instruments: this.ids.instruments,
        columns: {
          value: release.values.slice(0, n),
          carried: Float64Array.from(release.carried.subarray(0, n)),
          revision: new Float64Array(n).fill(publish.revision),
        },
        tags: { horizon: String(release.horizon) },
      });
      written += n;
    }
    return written;
  }
}
