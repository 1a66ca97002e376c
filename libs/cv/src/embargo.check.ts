/**
 * An independent checker of the SPEC §5 rule, deliberately brute force so it
 * shares no logic with the splitters: it re-derives the dates from the rows
 * and tests every (train date, test date) pair. Cost O(D_train * D_test) date
 * pairs plus O(rows); for a 20-year daily panel that is a few million
 * comparisons per fold, cheap next to fitting a model.
 */
import { CvInputError, EmbargoTooSmallError, EmbargoViolationError } from './errors';
import { DEFAULT_EMBARGO_DAYS, MIN_EMBARGO_DAYS } from './sample-dates';

export interface EmbargoCheckOptions {
  readonly horizon: number;
  readonly embargoDays?: number;
}

/** The sample rows of one split; `CvSplit` satisfies it. */
export interface RowSplit {
  readonly foldId?: number;
  readonly trainRows: Int32Array;
  readonly testRows: Int32Array;
}

/**
 * Throws `EmbargoViolationError` unless, for every train date a and test date
 * b (calendar positions): a != b, at least `embargoDays` positions lie
 * strictly between them (`|b - a| - 1 >= embargoDays`), and a train label
 * window `(a, a + k]` contains no test date (`a < b` implies `a + k < b`).
 * Also rejects a row that is in both sides or out of range.
 */
export function assertEmbargo(split: RowSplit, sampleDates: Int32Array, options: EmbargoCheckOptions): void {
  const { horizon } = options;
  const embargoDays = options.embargoDays ?? DEFAULT_EMBARGO_DAYS;
  if (!Number.isInteger(horizon) || horizon < 1) {
    throw new CvInputError(`horizon must be a positive integer number of trading days, got ${horizon}.`);
  }
  if (!Number.isInteger(embargoDays)) {
    throw new CvInputError(`embargoDays must be an integer number of trading days, got ${embargoDays}.`);
  }
  if (embargoDays < MIN_EMBARGO_DAYS) throw new EmbargoTooSmallError(embargoDays, MIN_EMBARGO_DAYS);
  const fold = split.foldId === undefined ? '' : `fold ${split.foldId}: `;

  const side = new Uint8Array(sampleDates.length);
  const mark = (rows: Int32Array, bit: number, name: string): void => {
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (!Number.isInteger(r) || r < 0 || r >= sampleDates.length) {
        throw new EmbargoViolationError(
          `${fold}${name} row ${r} is not a sample row [0, ${sampleDates.length}).`,
        );
      }
      side[r] |= bit;
      if (side[r] === 3) throw new EmbargoViolationError(`${fold}row ${r} is both a train and a test row.`);
    }
  };
  mark(split.trainRows, 1, 'train');
  mark(split.testRows, 2, 'test');

  const trainDates = distinctDates(split.trainRows, sampleDates);
  const testDates = distinctDates(split.testRows, sampleDates);
  for (const a of trainDates) {
    for (const b of testDates) {
      const between = Math.abs(b - a) - 1;
      if (a === b || between < embargoDays) {
        throw new EmbargoViolationError(
          `${fold}train date ${a} and test date ${b} have ${Math.max(between, 0)} trading days between them, ` +
            `fewer than embargo_days = ${embargoDays}.`,
        );
      }
      if (a < b && a + horizon >= b) {
        throw new EmbargoViolationError(
          `${fold}the label window (${a}, ${a + horizon}] of a train date reaches test date ${b} (horizon ${horizon}).`,
        );
      }
    }
  }
}

function distinctDates(rows: Int32Array, sampleDates: Int32Array): number[] {
  const seen = new Set<number>();
  for (let i = 0; i < rows.length; i++) seen.add(sampleDates[rows[i]]);
  return [...seen];
}
