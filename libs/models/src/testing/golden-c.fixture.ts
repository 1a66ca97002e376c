/**
 * Test-only reader of golden case c (test/fixtures/golden/c/expected): the
 * processed features and labels joined on (date, instrument), in the row
 * order of features.csv.gz, plus the reference outputs. CSV reading comes from @alphafeed/testing;
 * the files are plain numeric CSV written by the reference implementation.
 */
import { join } from 'node:path';
import { column, keys, readCsv } from '@alphafeed/testing';
export { column, keys, readCsv, readJson, agrees as withinSpec } from '@alphafeed/testing';
export type { CsvTable as Table } from '@alphafeed/testing';

export const GOLDEN_C = join(__dirname, '../../../../test/fixtures/golden/c/expected');

export interface GoldenC {
  readonly featureNames: string[];
  /** Row keys `date|instrument` in features.csv.gz order. */
  readonly keys: string[];
  readonly features: Float64Array[];
  /** label_21d / label_63d aligned with the feature rows (NaN when not matured). */
  readonly labels: { readonly '21d': Float64Array; readonly '63d': Float64Array };
}

let cached: GoldenC | null = null;

export function loadGoldenC(): GoldenC {
  if (cached !== null) return cached;
  const f = readCsv(join(GOLDEN_C, 'features.csv.gz'));
  const featureNames = f.header.slice(2);
  const features = featureNames.map((name) => column(f, name));
  const fk = keys(f);
  const l = readCsv(join(GOLDEN_C, 'labels.csv.gz'));
  const lk = keys(l);
  const l21 = column(l, 'label_21d');
  const l63 = column(l, 'label_63d');
  const at = new Map<string, number>();
  lk.forEach((k, i) => at.set(k, i));
  const y21 = new Float64Array(fk.length);
  const y63 = new Float64Array(fk.length);
  for (let i = 0; i < fk.length; i++) {
    const r = at.get(fk[i]);
    if (r === undefined) throw new Error(`feature row ${fk[i]} has no label row`);
    y21[i] = l21[r];
    y63[i] = l63[r];
  }
  cached = { featureNames, keys: fk, features, labels: { '21d': y21, '63d': y63 } };
  return cached;
}
