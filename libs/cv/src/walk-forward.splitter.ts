/**
 * Walk-forward CV (SPEC §5, the default): scikit-learn's `TimeSeriesSplit`
 * on the M unique sample dates, then purge and embargo measured in calendar
 * positions (trading days of the region calendar, not ordinals among sample
 * dates — the two differ wherever a calendar date has no sample).
 *
 * Cost: O(rows) to index the dates plus O(rows) per fold to list the rows.
 */
import { CvInputError, TooManySplitsError } from './errors';
import { checkFoldSize, indexSampleDates, resolveOptions, rowsOfDates } from './sample-dates';
import type { CvPlan, CvSplit, SplitterOptions } from './split.types';

export const DEFAULT_N_SPLITS = 5;

export interface WalkForwardOptions extends SplitterOptions {
  /** Number of test blocks; default 5. As in scikit-learn, at least 2. */
  readonly nSplits?: number;
}

/**
 * Fold i tests the unique-date block `[M - (n - i) * s, M - (n - i - 1) * s)`
 * with `s = floor(M / (n + 1))`; the remainder goes to the first, train-only
 * block (exactly `TimeSeriesSplit(n_splits = n)`). Train is every earlier
 * date t that survives both rules, with q the first test date:
 * purge `idx(t) + k < idx(q)` and embargo `idx(q) - idx(t) - 1 >= embargoDays`.
 * Both keep a prefix of the earlier dates.
 */
export function walkForwardSplits(sampleDates: Int32Array, options: WalkForwardOptions): CvPlan {
  const index = indexSampleDates(sampleDates, options.calendar?.length);
  const nSplits = options.nSplits ?? DEFAULT_N_SPLITS;
  if (!Number.isInteger(nSplits) || nSplits < 2) {
    throw new CvInputError(
      `nSplits must be an integer >= 2 (as scikit-learn's TimeSeriesSplit), got ${nSplits}.`,
    );
  }
  const { unique, rowStart } = index;
  const m = unique.length;
  const testSize = Math.floor(m / (nSplits + 1));
  if (testSize === 0) {
    throw new TooManySplitsError(
      `walk-forward with nSplits = ${nSplits} needs at least ${nSplits + 1} unique sample dates, ` +
        `got ${m}; use fewer splits or more history.`,
    );
  }
  const opts = resolveOptions(options, index);
  const { horizon, embargoDays, label } = opts;
  const firstTest = m - nSplits * testSize;

  const splits: CvSplit[] = [];
  for (let fold = 0; fold < nSplits; fold++) {
    const testBegin = firstTest + fold * testSize;
    const testEnd = testBegin + testSize; // exclusive, in unique-date ordinals
    const q = unique[testBegin];
    // Latest calendar position a train date may have: the stricter of the two rules.
    const lastAllowed = Math.min(q - 1 - embargoDays, q - 1 - horizon);
    const keepTrain = new Uint8Array(m);
    let trainEnd = 0; // exclusive ordinal
    for (let u = 0; u < testBegin && unique[u] <= lastAllowed; u++) {
      keepTrain[u] = 1;
      trainEnd = u + 1;
    }
    const train = rowsOfDates(index, keepTrain);
    const testRows = new Int32Array(rowStart[testEnd] - rowStart[testBegin]);
    for (let i = 0; i < testRows.length; i++) testRows[i] = rowStart[testBegin] + i;
    const testDates = unique.slice(testBegin, testEnd);
    checkFoldSize(fold, train.rows.length, testRows.length, opts.minFoldSamples);

    const trainLast = unique[trainEnd - 1];
    splits.push({
      foldId: fold,
      trainRows: train.rows,
      testRows,
      testFoldIds: new Int32Array(testRows.length).fill(fold),
      trainDates: train.dates,
      testDates,
      testGroups: [],
      report: {
        fold_id: fold,
        train_first: label(unique[0]),
        train_last: label(trainLast),
        train_dates: train.dates.length,
        test_first: label(q),
        test_last: label(unique[testEnd - 1]),
        test_dates: testSize,
        n_train: train.rows.length,
        n_test: testRows.length,
        purged_or_embargoed_samples: rowStart[testBegin] - train.rows.length,
        gap_trading_days: q - trainLast - 1,
      },
    });
  }
  return {
    method: 'walk_forward',
    horizon,
    embargoDays,
    nSamples: sampleDates.length,
    nDates: m,
    nPaths: 1,
    groups: [],
    splits,
  };
}
