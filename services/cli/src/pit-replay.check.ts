/**
 * Live = batch checks of a point-in-time replay (SPEC §9's last bullet,
 * issue 8 item 6): the alphas the scorer published, model by model on its
 * scoring window, against `computePointInTimeAlphas`; the target weights
 * the portfolio service published against the batch decisions.
 */
import type { RegionConfig } from '@alphafeed/config';
import { parseIsoDay } from '@alphafeed/core';
import type { PitRun } from '@alphafeed/pit-alphas';
import type { StorePort } from '@alphafeed/store';
import { ALPHAS_TABLE } from '@alphafeed/streaming';

export interface AlphaComparison {
  /** Rows of the point-in-time table. */
  readonly rows: number;
  /** Of those, rows the store has for the same (date, instrument, model_id). */
  readonly matched: number;
  /** Largest |alpha_combined, alpha_21d, alpha_63d live - batch| in bps over the matched rows. */
  readonly maxAbsBps: number;
  /** Up to 5 lines describing missing rows or the largest differences. */
  readonly problems: readonly string[];
}

/** Compares every row of `run.table` with the alphas the scorer stored for the same model. */
export async function compareStoredAlphas(
  store: StorePort,
  config: RegionConfig,
  run: PitRun,
): Promise<AlphaComparison> {
  const table = run.table;
  const problems: string[] = [];
  let matched = 0;
  let maxAbsBps = 0;
  for (let m = 0; m < table.modelIds.length; m++) {
    const modelId = table.modelIds[m];
    const rows: number[] = [];
    for (let r = 0; r < table.length; r++) if (table.model[r] === m) rows.push(r);
    if (rows.length === 0) continue;
    const from = table.calendar[table.date[rows[0]]];
    const to = table.calendar[table.date[rows[rows.length - 1]]];
    const live = await store.read(ALPHAS_TABLE.name, {
      region: config.region,
      from,
      to,
      tags: { model_version: modelId },
    });
    const index = new Map<string, number>();
    for (let i = 0; i < live.length; i++)
      index.set(`${live.date[i]} ${live.instruments[live.instrument[i]]}`, i);
    for (const r of rows) {
      const key = `${parseIsoDay(table.calendar[table.date[r]])} ${table.instruments[table.instrument[r]]}`;
      const i = index.get(key);
      if (i === undefined) {
        if (problems.length < 5)
          problems.push(
            `no live alpha of ${modelId} for ${table.calendar[table.date[r]]} ${table.instruments[table.instrument[r]]}`,
          );
        continue;
      }
      matched++;
      const pairs: [number, number][] = [[live.columns.alpha_combined[i], table.alphaCombined[r]]];
      table.horizons.forEach((k, h) => pairs.push([live.columns[`alpha_${k}d`][i], table.alphas[h][r]]));
      for (const [a, b] of pairs) {
        const d = Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b);
        if (!(d <= maxAbsBps)) {
          maxAbsBps = Number.isNaN(d) ? Infinity : d;
          if (d > 1e-6 && problems.length < 5)
            problems.push(`${key} ${modelId}: live ${a} bps, batch ${b} bps`);
        }
      }
    }
  }
  return { rows: table.length, matched, maxAbsBps, problems };
}
