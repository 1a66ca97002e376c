/**
 * Test-only: golden case c (test/fixtures/golden/c) as the frames the
 * trainer takes. The processed model features and the labels come from the
 * golden CSVs verbatim (shortest round-trip text, so parsing is exact and
 * XGBoost sees the reference float32 inputs); the style exposures
 * (beta_252, size, momentum) are not in the golden files, so they come from
 * the features lib run on c/bars.csv, whose row keys must equal
 * features.csv.gz's.
 */
import { join } from 'node:path';
import { loadConfig, overrideConfig, type RegionConfig } from '@alphafeed/config';
import type { BarPanel, FeatureFrame, LabelFrame } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import { column, keys, readCsv, readGoldenBars } from '@alphafeed/testing';
export { column, keys, readCsv, readJson, agrees as withinSpec } from '@alphafeed/testing';
export type { CsvTable as Table } from '@alphafeed/testing';

/** c/bars.csv as a BarPanel sorted by (date, instrument); shares_out present, no amount. */
export const goldenBars = (): BarPanel => readGoldenBars('c');

export const GOLDEN_C = join(__dirname, '../../../../test/fixtures/golden/c');
export const GOLDEN_C_EXPECTED = join(GOLDEN_C, 'expected');
export const REPO_ROOT = join(__dirname, '../../../..');

export interface GoldenFrames {
  readonly features: FeatureFrame;
  readonly labels: LabelFrame;
  /** `date|instrument` of every feature row. */
  readonly keys: readonly string[];
}

let cached: GoldenFrames | null = null;

export function goldenFrames(): GoldenFrames {
  if (cached !== null) return cached;
  const bars = goldenBars();
  const computed = computeFeatureFrame(bars);
  const f = readCsv(join(GOLDEN_C_EXPECTED, 'features.csv.gz'));
  const fk = keys(f);
  const ck = Array.from(
    computed.date,
    (d, i) => `${bars.calendar[d]}|${bars.instruments[computed.instrument[i]]}`,
  );
  if (fk.length !== ck.length || fk.some((k, i) => k !== ck[i])) {
    throw new Error(
      'golden c: the features lib rows differ from features.csv.gz; exposures cannot be aligned',
    );
  }
  const featureNames = f.header.slice(2);
  const features: FeatureFrame = {
    ...computed,
    featureNames,
    features: featureNames.map((n) => column(f, n)),
  };

  const l = readCsv(join(GOLDEN_C_EXPECTED, 'labels.csv.gz'));
  const dateIx = new Map(bars.calendar.map((d, i) => [d, i]));
  const instIx = new Map(bars.instruments.map((s, i) => [s, i]));
  const di = l.header.indexOf('date');
  const si = l.header.indexOf('instrument');
  const labels: LabelFrame = {
    calendar: bars.calendar,
    instruments: bars.instruments,
    horizons: [21, 63],
    length: l.rows.length,
    date: Int32Array.from(l.rows, (r) => dateIx.get(r[di]) as number),
    instrument: Int32Array.from(l.rows, (r) => instIx.get(r[si]) as number),
    carried: new Uint8Array(l.rows.length),
    labels: [column(l, 'label_21d'), column(l, 'label_63d')],
  };
  cached = { features, labels, keys: fk };
  return cached;
}

/** config/us.yaml with the golden run's settings (the defaults) and a patch on top. */
export function goldenConfig(patch: object = {}): RegionConfig {
  return overrideConfig(loadConfig(join(REPO_ROOT, 'config/us.yaml')), patch, 'golden c');
}
