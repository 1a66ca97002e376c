/**
 * Row keys of an alpha table read from a file, coded on the bar panel's
 * calendar and instrument list: dictionaries are mapped once, rows by a
 * gather, so the cost is O(rows + distinct values). Unknown values become
 * -1 for the caller to report.
 */
import { parseIsoDay } from '@alphafeed/core';

/** The bar panel's dictionaries an alpha table is coded on. */
export interface PanelKeys {
  readonly calendar: readonly string[];
  readonly instruments: readonly string[];
}

/** Calendar position of each Parquet DATE (day number); -1 when it is not a calendar date. */
export function dayPositions(days: Int32Array, calendar: readonly string[]): Int32Array {
  const pos = new Map<number, number>();
  calendar.forEach((d, i) => pos.set(parseIsoDay(d), i));
  const out = new Int32Array(days.length);
  for (let r = 0; r < days.length; r++) out[r] = pos.get(days[r]) ?? -1;
  return out;
}

/** Codes of `dictionary` re-coded on `target` (a Map lookup per distinct value); -1 when absent or null. */
export function recode(
  codes: Int32Array,
  dictionary: readonly string[],
  target: readonly string[],
): Int32Array {
  const pos = new Map<string, number>();
  target.forEach((s, i) => pos.set(s, i));
  const map = Int32Array.from(dictionary, (s) => pos.get(s) ?? -1);
  const out = new Int32Array(codes.length);
  for (let r = 0; r < codes.length; r++) out[r] = codes[r] < 0 ? -1 : map[codes[r]];
  return out;
}

/**
 * Row order by (date, instrument): keys `date * nInstruments + instrument`
 * packed with the row index into one float64 (exact below 2^53: rows <
 * 2^26, dates × instruments < 2^27) and sorted natively. Returns the order
 * and the first pair of rows with equal keys (-1 when none). O(n log n).
 */
export function sortRows(
  date: Int32Array,
  instrument: Int32Array,
  nInstruments: number,
): { order: Int32Array; duplicate: [number, number] | null } {
  const n = date.length;
  const scale = 2 ** 26;
  if (n >= scale) throw new RangeError(`an alpha table of ${n} rows is too long to sort (max ${scale - 1})`);
  let maxDate = 0;
  for (let r = 0; r < n; r++) if (date[r] > maxDate) maxDate = date[r];
  if (nInstruments * (maxDate + 1) > 2 ** 27)
    throw new RangeError(`${nInstruments} instruments × the calendar are too many keys to sort (max 2^27)`);
  const packed = new Float64Array(n);
  for (let r = 0; r < n; r++) packed[r] = (date[r] * nInstruments + instrument[r]) * scale + r;
  packed.sort();
  const order = new Int32Array(n);
  let duplicate: [number, number] | null = null;
  let prevKey = -1;
  for (let i = 0; i < n; i++) {
    const key = Math.floor(packed[i] / scale);
    order[i] = packed[i] - key * scale;
    if (key === prevKey && duplicate === null) duplicate = [order[i - 1], order[i]];
    prevKey = key;
  }
  return { order, duplicate };
}
