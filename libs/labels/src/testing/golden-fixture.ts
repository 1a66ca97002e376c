/**
 * Test support for the label specs: reads the golden fixtures
 * (test/fixtures/golden) with a tiny CSV reader, so the specs depend neither
 * on libs/data nor on another lib's test folders. The files are small
 * (tens of thousands of rows) and have no quoted fields.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BarPanel } from '@alphafeed/core';

export const GOLDEN_DIR = resolve(__dirname, '../../../../test/fixtures/golden');

export interface CsvTable {
  readonly header: readonly string[];
  readonly rows: readonly string[][];
}

export function readCsv(path: string): CsvTable {
  const bytes = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split('\n').filter((line) => line.length > 0);
  const header = lines[0].trim().split(',');
  const rows = lines.slice(1).map((line) => line.trim().split(','));
  return { header, rows };
}

/** A CSV number: an empty field is NaN. */
export function csvNumber(text: string): number {
  return text === '' || text === 'nan' || text === 'NaN' ? NaN : Number(text);
}

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
  const n = sorted.length;
  const numeric = (name: string): Float64Array | null => {
    const c = col(name);
    return c < 0 ? null : Float64Array.from(sorted, (r) => csvNumber(r[c]));
  };
  return {
    calendar,
    instruments,
    industries,
    length: n,
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

/** The SPEC tolerance: `|a - b| <= 1e-9 * |b| + 1e-12`, NaN only equal to NaN. */
export function agrees(actual: number, expected: number): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  return Math.abs(actual - expected) <= 1e-9 * Math.abs(expected) + 1e-12;
}
