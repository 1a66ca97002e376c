/**
 * Test-only reader of golden case c (test/fixtures/golden/c/expected): the
 * processed features and labels joined on (date, instrument), in the row
 * order of features.csv.gz, plus the reference outputs. Small CSV parser:
 * the files are plain numeric CSV written by the reference implementation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const GOLDEN_C = join(__dirname, '../../../../test/fixtures/golden/c/expected');

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
  const out = new Float64Array(t.rows.length);
  for (let i = 0; i < t.rows.length; i++) out[i] = t.rows[i][j] === '' ? NaN : Number(t.rows[i][j]);
  return out;
}

export function keys(t: Table): string[] {
  const d = t.header.indexOf('date');
  const s = t.header.indexOf('instrument');
  return t.rows.map((r) => `${r[d]}|${r[s]}`);
}

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

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The SPEC tolerance: |a - b| <= 1e-9 |b| + 1e-12. */
export function withinSpec(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.abs(b) + 1e-12;
}
