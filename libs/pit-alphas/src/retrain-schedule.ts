/**
 * When the point-in-time models are retrained (SPEC §9), in calendar
 * positions. The reading pinned here:
 *
 * - A label for date t and horizon k is *visible* at the close of T iff
 *   `idx(t) + k <= idx(T)` (SPEC §4 maturity); a feature row iff `t <= T`.
 * - The training data at T "spans" `n(T)` dates: the number of distinct
 *   calendar dates t that have at least one feature row whose
 *   longest-horizon label is a number and visible at T. (A count, not
 *   `last - first + 1`: a date with no labelled row adds no training data.)
 * - `T0` is the first calendar position with `n(T0) >= minTrainDates`; the
 *   retrain dates are `T0 + j * retrainEvery` for every j with
 *   `T0 + j * retrainEvery < last` (a retrain on the last date would have
 *   nothing to score); model j scores the dates `(T_j, T_{j+1}]`, the last
 *   one `(T_last, last]`. Dates up to `T0` have no alphas.
 *
 * O(calendar dates) given the per-date flags.
 */
import { PitInputError } from './errors';

export interface ScheduleOptions {
  /** Calendar positions between retrain dates (SPEC §9 `retrain_every`, default 63). */
  readonly retrainEvery?: number;
  /** Dates with a matured longest-horizon label needed for the first training (`min_train_dates`, default 504). */
  readonly minTrainDates?: number;
}

export const DEFAULT_RETRAIN_EVERY = 63;
export const DEFAULT_MIN_TRAIN_DATES = 504;

export interface RetrainSchedule {
  /** Calendar position of the first retrain date T0. */
  readonly t0: number;
  /** Retrain dates T_j (calendar positions, ascending); `retrainDates[0] === t0`. */
  readonly retrainDates: Int32Array;
  /** Last date scored by model j: model j scores the positions `(retrainDates[j], ends[j]]`. */
  readonly ends: Int32Array;
  /** `n(T0)`: dates with a matured longest-horizon label at T0. */
  readonly trainDatesAtT0: number;
  readonly retrainEvery: number;
  readonly minTrainDates: number;
}

/** Validated schedule options with the SPEC defaults filled in. */
export function resolveScheduleOptions(options: ScheduleOptions = {}): {
  retrainEvery: number;
  minTrainDates: number;
} {
  const retrainEvery = options.retrainEvery ?? DEFAULT_RETRAIN_EVERY;
  const minTrainDates = options.minTrainDates ?? DEFAULT_MIN_TRAIN_DATES;
  for (const [name, v] of [
    ['retrain_every', retrainEvery],
    ['min_train_dates', minTrainDates],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1)) {
      throw new PitInputError('OPTIONS', `${name} must be an integer >= 1 (calendar positions), got ${v}.`);
    }
  }
  return { retrainEvery, minTrainDates };
}

/**
 * The schedule from per-date flags: `labelled[d] = 1` when date d has a
 * feature row with a non-NaN label of the longest horizon `horizon`.
 * `calendar` is only used for messages.
 */
export function retrainSchedule(
  labelled: Uint8Array,
  horizon: number,
  calendar: readonly string[],
  options: ScheduleOptions = {},
): RetrainSchedule {
  const { retrainEvery, minTrainDates } = resolveScheduleOptions(options);
  const n = labelled.length;
  const last = n - 1;
  // n(T) = #{d <= T - horizon : labelled[d]}; T0 = first T where it reaches the minimum.
  let count = 0;
  let t0 = -1;
  for (let d = 0; d + horizon < n; d++) {
    count += labelled[d];
    if (count >= minTrainDates) {
      t0 = d + horizon;
      break;
    }
  }
  if (t0 < 0 || t0 >= last) {
    const at = t0 < 0 ? count : minTrainDates;
    throw new PitInputError(
      'TOO_LITTLE_HISTORY',
      t0 < 0
        ? `too little history for point-in-time alphas: ${n} calendar dates (${calendar[0]} .. ${calendar[last]}) ` +
            `give ${at} dates with a matured ${horizon}d label, min_train_dates is ${minTrainDates}; ` +
            `give more history or lower min_train_dates.`
        : `too little history for point-in-time alphas: the first training (min_train_dates ${minTrainDates}) ` +
            `is at the last date ${calendar[last]}, so no date is left to score; give more history or lower min_train_dates.`,
    );
  }
  const models = Math.ceil((last - t0) / retrainEvery);
  const retrainDates = new Int32Array(models);
  const ends = new Int32Array(models);
  for (let j = 0; j < models; j++) {
    retrainDates[j] = t0 + j * retrainEvery;
    ends[j] = Math.min(last, retrainDates[j] + retrainEvery);
  }
  return { t0, retrainDates, ends, trainDatesAtT0: count, retrainEvery, minTrainDates };
}
