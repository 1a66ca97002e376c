/**
 * The golden fixtures (test/fixtures/golden: values of an independent
 * implementation of the SPEC) read with a tiny CSV reader, so specs of any lib
 * can use them without depending on libs/data. The files are small (tens of
 * thousands of rows), plain numeric CSV with no quoted fields.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BarPanel } from '@alphafeed/core';

export const GOLDEN_DIR = resolve(__dirname, '../../../test/fixtures/golden');
export const REPO_ROOT = resolve(__dirname, '../../..');

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly string[][];
}

/** A CSV or CSV.gz file as header + rows of text cells. */
export function readCsv(path: string): CsvTable {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim().length > 0);
  const header = lines[0].trim().split(',');
  const rows = lines.slice(1).map((line) => line.trim().split(','));
  return { header, rows };
}

/** A CSV number: an empty field (or nan) is NaN. */
export function csvNumber(text: string): number {
  return text === '' || text === 'nan' || text === 'NaN' ? NaN : Number(text);
}

/** A numeric column by name; throws when the table has none. */
export function column(t: CsvTable, name: string): Float64Array {
  const j = t.header.indexOf(name);
  if (j < 0) throw new Error(`no column ${name} in [${t.header.join(', ')}]`);
  return Float64Array.from(t.rows, (r) => csvNumber(r[j]));
}

/** Row keys `date|instrument`. */
export function keys(t: CsvTable): string[] {
  const d = t.header.indexOf('date');
  const s = t.header.indexOf('instrument');
  return t.rows.map((r) => `${r[d]}|${r[s]}`);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The SPEC tolerance `|a - b| <= rel * |b| + 1e-12` (rel = 1e-9); NaN only agrees with NaN. */
export function agrees(actual: number, expected: number, rel = 1e-9): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  return Math.abs(actual - expected) <= rel * Math.abs(expected) + 1e-12;
}

/** `<case>/bars.csv` (which carries an industry column) as a BarPanel sorted by (date, instrument). */
export function readGoldenBars(caseName: string): BarPanel {
  const { header, rows } = readCsv(resolve(GOLDEN_DIR, caseName, 'bars.csv'));
  const col = (name: string): number => header.indexOf(name);
  const dateCol = col('date');
  const instrumentCol = col('instrument');
  const industryCol = col('industry');
  const calendar = [...new Set(rows.map((r) => r[dateCol]))].sort();
  const instruments = [...new Set(rows.map((r) => r[instrumentCol]))].sort();
  const industries = [...new Set(rows.map((r) => r[industryCol]))].sort();
  const dateIndex = new Map(calendar.map((d, k) => [d, k]));
  const instrumentIndex = new Map(instruments.map((s, k) => [s, k]));
  const industryIndex = new Map(industries.map((s, k) => [s, k]));
  const sorted = [...rows].sort((a, b) =>
    a[dateCol] === b[dateCol]
      ? instrumentIndex.get(a[instrumentCol])! - instrumentIndex.get(b[instrumentCol])!
      : a[dateCol] < b[dateCol]
        ? -1
        : 1,
  );
  const numeric = (name: string): Float64Array | null => {
    const c = col(name);
    return c < 0 ? null : Float64Array.from(sorted, (r) => csvNumber(r[c]));
  };
  return {
    calendar,
    instruments,
    industries,
    length: sorted.length,
    date: Int32Array.from(sorted, (r) => dateIndex.get(r[dateCol])!),
    instrument: Int32Array.from(sorted, (r) => instrumentIndex.get(r[instrumentCol])!),
    industry: Int32Array.from(sorted, (r) => industryIndex.get(r[industryCol])!),
    open: numeric('open')!,
    high: numeric('high')!,
    low: numeric('low')!,
    close: numeric('close')!,
    volume: numeric('volume')!,
    amount: numeric('amount'),
    sharesOut: numeric('shares_out'),
  };
}
