/**
 * The columnar panels every stage passes along. One typed array per field,
 * dictionaries for strings; rows are never objects on a hot path.
 */

/** Raw daily bars, adjusted (SPEC §1), rows sorted by (date, instrument). */
export interface BarPanel {
  /** Sorted union of all bar dates, ISO `YYYY-MM-DD` (the region's calendar). */
  readonly calendar: readonly string[];
  /** Instrument codes, sorted; `instrument[i]` indexes this list. */
  readonly instruments: readonly string[];
  /** Industry names; `industry[i]` indexes this list. */
  readonly industries: readonly string[];
  readonly length: number;
  /** Index into `calendar`. */
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  /** Industry of the instrument as of that bar. */
  readonly industry: Int32Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** Traded value; null when the input has no `amount` column (decided per input). */
  readonly amount: Float64Array | null;
  /** Shares outstanding; null when the input has no `shares_out` column. */
  readonly sharesOut: Float64Array | null;
}

/**
 * Row offsets of each calendar date in a date-sorted panel: the rows of date
 * `d` are `[offsets[d], offsets[d + 1])`. O(rows), one pass.
 */
export function dateOffsets(date: Int32Array, calendarLength: number): Int32Array {
  const offsets = new Int32Array(calendarLength + 1);
  for (let i = 0; i < date.length; i++) offsets[date[i] + 1]++;
  for (let d = 0; d < calendarLength; d++) offsets[d + 1] += offsets[d];
  return offsets;
}

/**
 * The rows `rows` (indices, ascending to keep the (date, instrument) order)
 * of a panel as a new panel: every column gathered, calendar and
 * dictionaries kept as they are. The one row selection of alphafeed (subsets
 * for training, filters in tests). O(rows x columns).
 */
export function selectPanelRows(panel: BarPanel, rows: Int32Array): BarPanel {
  const n = rows.length;
  const pick = <T extends Float64Array | Int32Array>(column: T): T => {
    const out = new (column.constructor as { new (n: number): T })(n);
    for (let k = 0; k < n; k++) out[k] = column[rows[k]];
    return out;
  };
  return {
    ...panel,
    length: n,
    date: pick(panel.date),
    instrument: pick(panel.instrument),
    industry: pick(panel.industry),
    open: pick(panel.open),
    high: pick(panel.high),
    low: pick(panel.low),
    close: pick(panel.close),
    volume: pick(panel.volume),
    amount: panel.amount === null ? null : pick(panel.amount),
    sharesOut: panel.sharesOut === null ? null : pick(panel.sharesOut),
  };
}

/**
 * Preprocessed features (SPEC §2–3): one row per (date, instrument) left after
 * carry-forward (ffill limit 5) and the NaN drop, sorted by (date, instrument).
 */
export interface FeatureFrame {
  readonly calendar: readonly string[];
  readonly instruments: readonly string[];
  readonly industries: readonly string[];
  /** Model feature names in SPEC order; `features[j]` holds feature j. */
  readonly featureNames: readonly string[];
  readonly length: number;
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  /** Industry used for the row's z-score (the industry at its last real bar). */
  readonly industry: Int32Array;
  /** 1 when the row is carried forward from an earlier bar. */
  readonly carried: Uint8Array;
  /** Winsorised, industry-z-scored model features, one column per name. */
  readonly features: readonly Float64Array[];
  /** Raw style exposures (not preprocessed; NaN allowed). */
  readonly beta252: Float64Array;
  readonly size: Float64Array;
  readonly momentum: Float64Array;
  /**
   * Raw `vol_60` (SPEC §2, before winsorising and z-scoring), the fourth style
   * exposure of the risk model (SPEC §10), carried like the others. Always set
   * by `computeFeatureFrame`; absent from frames rebuilt from a store that
   * does not keep it.
   */
  readonly vol60?: Float64Array;
}

/**
 * Labels (SPEC §4) for every row after carry-forward (real and carried rows),
 * before the NaN drop, sorted by (date, instrument). NaN where undefined.
 */
export interface LabelFrame {
  readonly calendar: readonly string[];
  readonly instruments: readonly string[];
  readonly horizons: readonly number[];
  readonly length: number;
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  readonly carried: Uint8Array;
  /** `labels[h]` is the column of horizon `horizons[h]`, in return units. */
  readonly labels: readonly Float64Array[];
}

/** A dense row-major matrix; XGBoost takes the Float32Array form without a copy. */
export interface DenseMatrix {
  readonly values: Float32Array | Float64Array;
  readonly rows: number;
  readonly cols: number;
}
