/** Spec helper: the features a service stored against the batch frame of the same panel. */
import type { RegionConfig } from '@alphafeed/config';
import type { BarPanel } from '@alphafeed/core';
import { parseIsoDay } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import type { FeatureName } from '@alphafeed/features';
import type { StorePort } from '@alphafeed/store';
import { readMembershipTable } from '@alphafeed/streaming';

const close = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) || Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;

/**
 * Mismatches (at most `limit`) between the stored `features` table and
 * `computeFeatureFrame` on the panel, with the config's membership table
 * (`data.universe_table`) as the batch commands apply it: row keys, every
 * feature, beta_252 and the raw style_vol_60, 1e-9 relative (SPEC §8). Also
 * returns the row count to check it is not trivial.
 */
export async function featuresVersusBatch(
  store: StorePort,
  panel: BarPanel,
  config: RegionConfig,
  limit = 5,
): Promise<{ rows: number; mismatches: string[] }> {
  const names = config.features.names.filter((n) => n !== 'turnover_20') as FeatureName[];
  const batch = computeFeatureFrame(panel, {
    features: names,
    minIndustrySize: config.features.min_industry_size,
    ffillLimit: config.features.ffill_limit,
    winsorize: config.features.winsorize,
    membership: readMembershipTable(config)?.forPanel(panel) ?? null,
  });
  const stored = await store.read('features', { region: config.region });
  const mismatches: string[] = [];
  if (stored.length !== batch.length) mismatches.push(`stored ${stored.length} rows, batch ${batch.length}`);
  for (let r = 0; r < Math.min(batch.length, stored.length) && mismatches.length < limit; r++) {
    if (
      stored.date[r] !== parseIsoDay(batch.calendar[batch.date[r]]) ||
      stored.instruments[stored.instrument[r]] !== batch.instruments[batch.instrument[r]]
    )
      mismatches.push(`row ${r} key`);
    names.forEach((name, f) => {
      if (!close(stored.columns[name][r], batch.features[f][r]))
        mismatches.push(`row ${r} ${name}: ${stored.columns[name][r]} vs ${batch.features[f][r]}`);
    });
    if (!close(stored.columns.beta_252[r], batch.beta252[r])) mismatches.push(`row ${r} beta`);
    if (!close(stored.columns.style_vol_60[r], (batch.vol60 as Float64Array)[r]))
      mismatches.push(`row ${r} style_vol_60: ${stored.columns.style_vol_60[r]} vs ${batch.vol60?.[r]}`);
  }
  return { rows: batch.length, mismatches: mismatches.slice(0, limit) };
}
