/**
 * Spec helper: loads golden case c (test/fixtures/golden/c) with a tiny
 * gz-CSV reader, independent of libs/data. Samples of a horizon are the rows
 * of `features.csv.gz` with a non-NaN label in `labels.csv.gz`, in file order
 * (date, instrument); the calendar is the sorted union of `bars.csv` dates.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const GOLDEN_C = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'golden', 'c');
export const HORIZONS = [21, 63] as const;
export const VARIANTS = ['walk_forward', 'cpcv'] as const;
export const MODELS = ['ridge', 'xgb'] as const;

export interface Csv {
  readonly header: string[];
  readonly rows: string[][];
}

/** Reads a CSV (gzipped when the name ends in .gz); no quoting in the golden files. */
export function readCsv(path: string): Csv {
  const buf = readFileSync(path);
  const text = path.endsWith('.gz') ? gunzipSync(buf).toString('utf8') : buf.toString('utf8');
  const lines = text.split('\n');
  const header = lines[0].replace(/\r$/, '').split(',');
  const rows: string[][] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line.length > 0) rows.push(line.split(','));
  }
  return { header, rows };
}

/** Empty cells and "nan" are NaN, as the golden writer emits them. */
export function num(cell: string): number {
  return cell === '' || cell.toLowerCase() === 'nan' ? NaN : Number(cell);
}

export interface GoldenSamples {
  readonly horizon: number;
  readonly calendar: string[];
  /** Calendar position per sample row. */
  readonly sampleDates: Int32Array;
  readonly label: Float64Array;
  /** `date,instrument` per sample row. */
  readonly keys: string[];
}

let cache: { calendar: string[]; features: string[][]; labels: Map<string, string[]> } | undefined;

function base(): { calendar: string[]; features: string[][]; labels: Map<string, string[]> } {
  if (cache !== undefined) return cache;
  const bars = readCsv(join(GOLDEN_C, 'bars.csv'));
  const di = bars.header.indexOf('date');
  const calendar = [...new Set(bars.rows.map((r) => r[di]))].sort();
  const features = readCsv(join(GOLDEN_C, 'expected', 'features.csv.gz')).rows;
  const labelCsv = readCsv(join(GOLDEN_C, 'expected', 'labels.csv.gz'));
  const labels = new Map<string, string[]>();
  for (const r of labelCsv.rows) labels.set(`${r[0]},${r[1]}`, r.slice(2));
  cache = { calendar, features, labels };
  return cache;
}

export function goldenSamples(horizon: number): GoldenSamples {
  const { calendar, features, labels } = base();
  const column = HORIZONS.indexOf(horizon as (typeof HORIZONS)[number]);
  if (column < 0) throw new Error(`golden case c has no horizon ${horizon}`);
  const position = new Map(calendar.map((d, i) => [d, i]));
  const dates: number[] = [];
  const values: number[] = [];
  const keys: string[] = [];
  for (const r of features) {
    const key = `${r[0]},${r[1]}`;
    const lab = labels.get(key);
    if (lab === undefined) throw new Error(`features row ${key} has no labels row`);
    const v = num(lab[column]);
    if (Number.isNaN(v)) continue;
    dates.push(position.get(r[0]) as number);
    values.push(v);
    keys.push(key);
  }
  return { horizon, calendar, sampleDates: Int32Array.from(dates), label: Float64Array.from(values), keys };
}

export interface GoldenOof {
  readonly keys: string[];
  readonly prediction: Float64Array;
  readonly foldId: Int32Array;
}

export function goldenOof(variant: string, model: string, horizon: number): GoldenOof {
  const csv = readCsv(join(GOLDEN_C, 'expected', variant, `oof_${model}_${horizon}d.csv.gz`));
  return {
    keys: csv.rows.map((r) => `${r[0]},${r[1]}`),
    prediction: Float64Array.from(csv.rows, (r) => num(r[2])),
    foldId: Int32Array.from(csv.rows, (r) => Number(r[3])),
  };
}

export interface GoldenScore {
  readonly model: string;
  readonly horizon: string;
  readonly fold_id: number | 'oof';
  readonly metric: string;
  readonly value: number;
}

export function goldenScores(variant: string): GoldenScore[] {
  const text = readFileSync(join(GOLDEN_C, 'expected', variant, 'cv_scores.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as GoldenScore);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function goldenSplits(variant: string): any {
  return JSON.parse(readFileSync(join(GOLDEN_C, 'expected', variant, 'splits.json'), 'utf8'));
}

/** SPEC agreement: |a - b| <= 1e-9 |b| + 1e-12. */
export function agrees(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12;
}
