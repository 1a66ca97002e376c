/**
 * What both splitters share: validating the options and the sample-date
 * column once at the boundary, and the unique-date index (row ranges per
 * date) the splitters work on. Samples are sorted by date, so the rows of a
 * date are one contiguous range and every fold is a union of such ranges.
 */
import { CvInputError, EmbargoTooSmallError, FoldTooSmallError, HorizonTooLongError } from './errors';
import type { SplitterOptions } from './split.types';

/** SPEC §5: the embargo is at least 63 trading days, non-negotiable. */
export const MIN_EMBARGO_DAYS = 63;
export const DEFAULT_EMBARGO_DAYS = 63;
export const DEFAULT_MIN_FOLD_SAMPLES = 100;

/** Unique sample dates and the row range of each: rows of `unique[u]` are `[rowStart[u], rowStart[u + 1])`. */
export interface DateIndex {
  readonly unique: Int32Array;
  readonly rowStart: Int32Array;
}

export interface ResolvedOptions {
  readonly horizon: number;
  readonly embargoDays: number;
  readonly minFoldSamples: number;
  /** Report text of a calendar position. */
  readonly label: (position: number) => string;
}

/** O(n), one pass: checks the column is integral, non-negative, in the calendar and sorted. */
export function indexSampleDates(sampleDates: Int32Array, calendarLength?: number): DateIndex {
  if (!(sampleDates instanceof Int32Array)) {
    throw new CvInputError('sampleDates must be an Int32Array of calendar positions, one per sample row.');
  }
  const n = sampleDates.length;
  if (n === 0) throw new CvInputError('sampleDates is empty: there are no samples to split.');
  let distinct = 1;
  for (let i = 0; i < n; i++) {
    const d = sampleDates[i];
    if (d < 0 || (calendarLength !== undefined && d >= calendarLength)) {
      throw new CvInputError(
        `sampleDates[${i}] = ${d} is not a position in the calendar [0, ${calendarLength ?? 'inf'}).`,
      );
    }
    if (i > 0) {
      const prev = sampleDates[i - 1];
      if (d < prev) {
        throw new CvInputError(
          `sampleDates must be sorted by date: row ${i} has date ${d} after ${prev}. Sort samples by (date, instrument).`,
        );
      }
      if (d !== prev) distinct++;
    }
  }
  const unique = new Int32Array(distinct);
  const rowStart = new Int32Array(distinct + 1);
  let u = 0;
  unique[0] = sampleDates[0];
  for (let i = 1; i < n; i++) {
    if (sampleDates[i] !== sampleDates[i - 1]) {
      u++;
      unique[u] = sampleDates[i];
      rowStart[u] = i;
    }
  }
  rowStart[distinct] = n;
  return { unique, rowStart };
}

/** Validates the shared options once; throws the typed cv errors. */
export function resolveOptions(options: SplitterOptions, index: DateIndex): ResolvedOptions {
  const { horizon, calendar } = options;
  const embargoDays = options.embargoDays ?? DEFAULT_EMBARGO_DAYS;
  const minFoldSamples = options.minFoldSamples ?? DEFAULT_MIN_FOLD_SAMPLES;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new CvInputError(`horizon must be a positive integer number of trading days, got ${horizon}.`);
  }
  if (!Number.isInteger(embargoDays)) {
    throw new CvInputError(`embargoDays must be an integer number of trading days, got ${embargoDays}.`);
  }
  if (embargoDays < MIN_EMBARGO_DAYS) throw new EmbargoTooSmallError(embargoDays, MIN_EMBARGO_DAYS);
  if (!Number.isInteger(minFoldSamples) || minFoldSamples < 1) {
    throw new CvInputError(`minFoldSamples must be a positive integer, got ${minFoldSamples}.`);
  }
  const { unique } = index;
  const span = unique[unique.length - 1] - unique[0];
  // A label window (t, t+k] from the first sample date that already passes the
  // last sample date overlaps every possible test block: nothing can be trained.
  if (horizon > span) throw new HorizonTooLongError(horizon, span);
  const label =
    calendar === undefined ? (p: number): string => String(p) : (p: number): string => calendar[p];
  return { horizon, embargoDays, minFoldSamples, label };
}

/** The fold-size rule of SPEC §5, applied to both sides. */
export function checkFoldSize(foldId: number, nTrain: number, nTest: number, minimum: number): void {
  if (nTrain < minimum) throw new FoldTooSmallError(foldId, 'train', nTrain, minimum);
  if (nTest < minimum) throw new FoldTooSmallError(foldId, 'test', nTest, minimum);
}

/**
 * Rows of the unique dates whose ordinals are flagged in `keep`, ascending.
 * O(rows of the kept dates).
 */
export function rowsOfDates(index: DateIndex, keep: Uint8Array): { rows: Int32Array; dates: Int32Array } {
  const { unique, rowStart } = index;
  let nRows = 0;
  let nDates = 0;
  for (let u = 0; u < unique.length; u++) {
    if (keep[u] === 1) {
      nRows += rowStart[u + 1] - rowStart[u];
      nDates++;
    }
  }
  const rows = new Int32Array(nRows);
  const dates = new Int32Array(nDates);
  let r = 0;
  let d = 0;
  for (let u = 0; u < unique.length; u++) {
    if (keep[u] !== 1) continue;
    dates[d++] = unique[u];
    for (let i = rowStart[u]; i < rowStart[u + 1]; i++) rows[r++] = i;
  }
  return { rows, dates };
}
