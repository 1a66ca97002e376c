/**
 * Test-only: golden case c (test/fixtures/golden/c) as the frames the
 * trainer takes. The processed model features and the labels come from the
 * golden CSVs verbatim (shortest round-trip text, so parsing is exact and
 * XGBoost sees the reference float32 inputs); the style exposures
 * (beta_252, size, momentum) are not in the golden files, so they come from
 * the features lib run on c/bars.csv, whose row keys must equal
 * features.csv.gz's.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { loadConfig, overrideConfig, type RegionConfig } from '@alphafeed/config';
import type { BarPanel, FeatureFrame, LabelFrame } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';

export const GOLDEN_C = join(__dirname, '../../../../test/fixtures/golden/c');
export const GOLDEN_C_EXPECTED = join(GOLDEN_C, 'expected');
export const REPO_ROOT = join(__dirname, '../../../..');

export interface Table {
  readonly header: string[];
  readonly rows: string[][];
}

export function readCsv(path: string): Table {
  const raw = path.endsWith('.gz') ? gunzipSync(readFileSync(path)) : readFileSync(path);
  const lines = raw.toString('utf8').split('\n');
  const header = lines[0].trim().split(',');
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line !== '') rows.push(line.split(','));
  }
  return { header, rows };
}

export function column(t: Table, name: string): Float64Array {
  const j = t.header.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in [${t.header.join(', ')}]`);
  return Float64Array.from(t.rows, (r) => (r[j] === '' ? NaN : Number(r[j])));
}

export function keys(t: Table): string[] {
  const d = t.header.indexOf('date');
  const s = t.header.indexOf('instrument');
  return t.rows.map((r) => `${r[d]}|${r[s]}`);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** c/bars.csv as a BarPanel sorted by (date, instrument); shares_out present, no amount. */
export function goldenBars(): BarPanel {
  const lines = readFileSync(join(GOLDEN_C, 'bars.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const at = (name: string): number => header.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(','));
  const [cd, ci, cg] = [at('date'), at('instrument'), at('industry')];
  rows.sort((a, b) =>
    a[cd] !== b[cd] ? (a[cd] < b[cd] ? -1 : 1) : a[ci] < b[ci] ? -1 : a[ci] > b[ci] ? 1 : 0,
  );
  const calendar = [...new Set(rows.map((r) => r[cd]))].sort();
  const instruments = [...new Set(rows.map((r) => r[ci]))].sort();
  const industries = [...new Set(rows.map((r) => r[cg]))].sort();
  const index = (list: string[]): Map<string, number> => new Map(list.map((v, i) => [v, i]));
  const [dateIx, instIx, indIx] = [index(calendar), index(instruments), index(industries)];
  const num = (name: string): Float64Array => Float64Array.from(rows, (r) => Number(r[at(name)]));
  return {
    calendar,
    instruments,
    industries,
    length: rows.length,
    date: Int32Array.from(rows, (r) => dateIx.get(r[cd]) as number),
    instrument: Int32Array.from(rows, (r) => instIx.get(r[ci]) as number),
    industry: Int32Array.from(rows, (r) => indIx.get(r[cg]) as number),
    open: num('open'),
    high: num('high'),
    low: num('low'),
    close: num('close'),
    volume: num('volume'),
    amount: null,
    sharesOut: num('shares_out'),
  };
}

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

/** The SPEC tolerance: |a - b| <= 1e-9 |b| + 1e-12. */
export function withinSpec(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.abs(b) + 1e-12;
}
