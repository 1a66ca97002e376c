import { InputError, parseIsoDay } from '@alphafeed/core';
import { readTable, requireColumn } from './table.reader';

/**
 * The industry of each instrument, possibly changing over time. Three shapes
 * are accepted, told apart by their header (extra columns are ignored, so a
 * `instrument,sector,industry` file works as a static table):
 * - static `instrument,industry`: one industry for the whole sample;
 * - as-of `instrument,date,industry`: the industry from `date` on, until the
 *   next row of that instrument; bars before its first row have none;
 * - intervals `instrument,start_date,end_date,industry`: inclusive dates, an
 *   empty `end_date` means open-ended.
 * Lookups are O(log k) in the k rows of one instrument.
 */
export class IndustryTable {
  private readonly byInstrument = new Map<string, IndustrySpans>();

  private constructor(readonly path: string) {}

  static read(path: string): IndustryTable {
    const table = readTable(path);
    const out = new IndustryTable(path);
    const jInst = requireColumn(table, 'instrument');
    const jInd = requireColumn(table, 'industry');
    const jDate = table.header.indexOf('date');
    const jStart = table.header.indexOf('start_date');
    const jEnd = table.header.indexOf('end_date');
    const dayOf = (text: string, k: number, column: string): number => {
      const day = parseIsoDay(text);
      if (Number.isNaN(day)) {
        throw new InputError(
          `industry table ${path} line ${k + 2}: ${column} "${text}" is not a YYYY-MM-DD date`,
        );
      }
      return day;
    };
    const raw = new Map<string, { start: number; end: number; industry: string }[]>();
    for (let k = 0; k < table.rows.length; k++) {
      const row = table.rows[k];
      const instrument = row[jInst] ?? '';
      const industry = row[jInd] ?? '';
      if (instrument === '') throw new InputError(`industry table ${path} line ${k + 2}: empty instrument`);
      if (industry === '') continue; // an empty cell is "no industry", same as no row
      let start = -Infinity;
      let end = Infinity;
      if (jStart >= 0 && jEnd >= 0) {
        start = dayOf(row[jStart] ?? '', k, 'start_date');
        end = (row[jEnd] ?? '') === '' ? Infinity : dayOf(row[jEnd], k, 'end_date');
        if (end < start)
          throw new InputError(`industry table ${path} line ${k + 2}: end_date before start_date`);
      } else if (jDate >= 0) {
        start = dayOf(row[jDate] ?? '', k, 'date');
      }
      let list = raw.get(instrument);
      if (list === undefined) raw.set(instrument, (list = []));
      list.push({ start, end, industry });
    }
    const asOf = jDate >= 0 && !(jStart >= 0 && jEnd >= 0);
    for (const [instrument, list] of raw) {
      list.sort((a, b) => a.start - b.start);
      if (asOf) {
        // An as-of row holds until the next row of the same instrument.
        for (let i = 0; i < list.length; i++)
          list[i].end = i + 1 < list.length ? list[i + 1].start - 1 : Infinity;
      } else if (jDate < 0 && jStart < 0 && list.length > 1) {
        const distinct = new Set(list.map((e) => e.industry));
        if (distinct.size > 1) {
          throw new InputError(
            `industry table ${path}: instrument ${instrument} has several industries (${[...distinct].join(', ')}) ` +
              'but no date columns; use instrument,date,industry or instrument,start_date,end_date,industry',
          );
        }
      }
      out.byInstrument.set(instrument, {
        starts: Float64Array.from(list, (e) => e.start),
        ends: Float64Array.from(list, (e) => e.end),
        industries: list.map((e) => e.industry),
      });
    }
    return out;
  }

  /** The spans of one instrument, or undefined when the table does not know it. */
  spans(instrument: string): IndustrySpans | undefined {
    return this.byInstrument.get(instrument);
  }

  get size(): number {
    return this.byInstrument.size;
  }
}

/** Inclusive day ranges, sorted by start; `industries[k]` holds on `[starts[k], ends[k]]`. */
export interface IndustrySpans {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly industries: readonly string[];
}

/** Position of the span covering `day`, or -1. Spans may overlap (interval tables); the first covering one wins. */
export function findSpan(spans: IndustrySpans, day: number): number {
  const { starts, ends } = spans;
  if (starts.length === 1) return day >= starts[0] && day <= ends[0] ? 0 : -1;
  // Last span starting on or before `day`, then walk back for overlaps.
  let lo = 0;
  let hi = starts.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= day) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let found = -1;
  for (let k = last; k >= 0; k--) if (day <= ends[k]) found = k;
  return found;
}
