/**
 * The shapes a splitter returns. Field names of the reports are the snake_case
 * keys of the golden `splits.json`, so a report serialises to it directly.
 */

/** One fold as logged in `splits.json` (`gap_trading_days` walk-forward only, `test_groups` cpcv only). */
export interface SplitReport {
  readonly fold_id: number;
  readonly test_groups?: readonly number[];
  readonly train_first: string;
  readonly train_last: string;
  readonly train_dates: number;
  readonly test_first: string;
  readonly test_last: string;
  readonly test_dates: number;
  readonly n_train: number;
  readonly n_test: number;
  /** Samples neither in train nor in test (dropped by purge or embargo). Walk-forward: only those before the test block. */
  readonly purged_or_embargoed_samples: number;
  /** Calendar positions strictly between the last train date and the first test date. */
  readonly gap_trading_days?: number;
}

export interface CvSplit {
  readonly foldId: number;
  /** Sample row indices, ascending. */
  readonly trainRows: Int32Array;
  /** Sample row indices, ascending. */
  readonly testRows: Int32Array;
  /** Per test row, the OOF fold id it carries: walk-forward the fold id, cpcv the row's group. */
  readonly testFoldIds: Int32Array;
  /** Unique calendar positions of the train rows, ascending. */
  readonly trainDates: Int32Array;
  /** Unique calendar positions of the test rows, ascending. */
  readonly testDates: Int32Array;
  /** cpcv: the test group indices, ascending; walk-forward: empty. */
  readonly testGroups: readonly number[];
  readonly report: SplitReport;
}

/** A cpcv group as logged in `splits.json`. */
export interface GroupReport {
  readonly group: number;
  readonly first: string;
  readonly last: string;
  readonly dates: number;
}

export interface CvPlan {
  readonly method: 'walk_forward' | 'cpcv';
  readonly horizon: number;
  readonly embargoDays: number;
  readonly nSamples: number;
  /** Unique sample dates (M). */
  readonly nDates: number;
  /** Backtest paths: cpcv phi = k/N * C(N, k); walk-forward 1. */
  readonly nPaths: number;
  /** cpcv groups; empty for walk-forward. */
  readonly groups: readonly GroupReport[];
  readonly splits: readonly CvSplit[];
}

/** Options shared by both splitters. */
export interface SplitterOptions {
  /** Label horizon k in trading days (calendar positions). */
  readonly horizon: number;
  /** Trading days that must lie strictly between any train and any test date; >= 63. */
  readonly embargoDays?: number;
  /** A fold with fewer train or test samples is an error. Default 100. */
  readonly minFoldSamples?: number;
  /**
   * The region calendar (ISO dates) the sample dates index. Used to print the
   * report dates and to range-check the positions; without it the reports
   * carry the positions as decimal strings.
   */
  readonly calendar?: readonly string[];
}
