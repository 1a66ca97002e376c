/**
 * Training samples of one horizon (SPEC §5): the feature rows that have a
 * matured, non-NaN `label_k`. Features and labels are both sorted by
 * (date, instrument), and every feature row is one of the label rows (labels
 * cover every row after carry-forward, features only those left after the NaN
 * drop), so one merge pass aligns them: O(label rows + feature rows).
 */
import type { FeatureFrame, LabelFrame } from '@alphafeed/core';
import { TrainingInputError } from './errors';

/**
 * The label columns of `labels` re-indexed on the feature rows: `out[h][i]`
 * is `label_{horizons[h]}` of feature row i, NaN when the label frame has no
 * such row or no label. Dates are matched by their ISO text, instruments by
 * code, so the two frames may carry different dictionaries.
 */
export function alignLabels(features: FeatureFrame, labels: LabelFrame): Float64Array[] {
  const n = features.length;
  const out = labels.horizons.map(() => new Float64Array(n).fill(NaN));
  // Map the label frame's date / instrument codes onto the feature frame's.
  const dateOf = new Map<string, number>();
  features.calendar.forEach((d, i) => dateOf.set(d, i));
  const instOf = new Map<string, number>();
  features.instruments.forEach((s, i) => instOf.set(s, i));
  const ldate = Int32Array.from(labels.calendar, (d) => dateOf.get(d) ?? -1);
  const linst = Int32Array.from(labels.instruments, (s) => instOf.get(s) ?? -1);
  // Instrument order must agree for a merge: compare codes by their text order.
  const rank = instrumentRanks(features.instruments);

  const m = labels.length;
  // A merge silently misses rows of an unsorted side, so both sides are checked. O(m).
  for (let r = 1; r < m; r++) {
    const d = labels.date[r];
    const pd = labels.date[r - 1];
    const s = linst[labels.instrument[r]];
    const ps = linst[labels.instrument[r - 1]];
    const ok = d > pd || (d === pd && (s < 0 || ps < 0 || rank[s] > rank[ps]));
    if (!ok || ldate[d] < ldate[pd]) {
      throw new TrainingInputError(
        'FRAME_MISMATCH',
        `label rows must be sorted by (date, instrument) without repeats; row ${r} ` +
          `(${labels.calendar[d]}, ${labels.instruments[labels.instrument[r]]}) breaks the order.`,
      );
    }
  }
  let j = 0;
  for (let i = 0; i < n; i++) {
    const d = features.date[i];
    const s = features.instrument[i];
    if (i > 0) {
      const pd = features.date[i - 1];
      if (d < pd || (d === pd && rank[s] <= rank[features.instrument[i - 1]])) {
        throw new TrainingInputError(
          'FRAME_MISMATCH',
          `feature rows must be sorted by (date, instrument) without repeats; row ${i} ` +
            `(${features.calendar[d]}, ${features.instruments[s]}) breaks the order.`,
        );
      }
    }
    while (j < m) {
      const ld = ldate[labels.date[j]];
      const ls = linst[labels.instrument[j]];
      if (ld < d || (ld === d && (ls < 0 || rank[ls] < rank[s]))) {
        j++;
        continue;
      }
      break;
    }
    if (j < m && ldate[labels.date[j]] === d && linst[labels.instrument[j]] === s) {
      for (let h = 0; h < out.length; h++) out[h][i] = labels.labels[h][j];
      j++;
    }
  }
  return out;
}

function instrumentRanks(instruments: readonly string[]): Int32Array {
  const order = instruments.map((_, i) => i).sort((a, b) => cmp(instruments[a], instruments[b]));
  const rank = new Int32Array(instruments.length);
  order.forEach((i, r) => (rank[i] = r));
  return rank;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Calendar position of the label-maturity cut-off: the last calendar date on
 * or before `cutoff` (ISO), or the last calendar date when none is given.
 */
export function cutoffPosition(calendar: readonly string[], cutoff?: string): number {
  if (calendar.length === 0) {
    throw new TrainingInputError(
      'NO_MATURED_LABELS',
      'the feature frame has an empty calendar: nothing to train on.',
    );
  }
  if (cutoff === undefined) return calendar.length - 1;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(cutoff)) {
    throw new TrainingInputError('CONFIG', `label cut-off "${cutoff}" is not a date written YYYY-MM-DD.`);
  }
  let p = -1;
  for (let i = 0; i < calendar.length && calendar[i] <= cutoff; i++) p = i;
  if (p < 0) {
    throw new TrainingInputError(
      'NO_MATURED_LABELS',
      `label cut-off ${cutoff} is before the first calendar date ${calendar[0]}: no label has matured.`,
    );
  }
  return p;
}

/** Samples of one horizon: feature row indices (ascending) and their labels. */
export interface HorizonSamples {
  readonly horizon: number;
  /** Feature row of each sample, ascending, so samples stay in (date, instrument) order. */
  readonly rows: Int32Array;
  /** Calendar position of each sample. */
  readonly dates: Int32Array;
  /** Label in return units (fraction). */
  readonly label: Float64Array;
}

/**
 * Feature rows whose `label_k` is a number and has matured by the cut-off:
 * `idx(t) + k <= cutoff` (SPEC §4 maturity: known at the close of t+k).
 * O(feature rows).
 */
export function horizonSamples(
  features: FeatureFrame,
  label: Float64Array,
  horizon: number,
  cutoff: number,
): HorizonSamples {
  let n = 0;
  const last = cutoff - horizon;
  for (let i = 0; i < features.length; i++) {
    const v = label[i];
    if (v === Infinity || v === -Infinity) {
      throw new TrainingInputError(
        'NON_FINITE_FEATURE',
        `label_${horizon}d of row ${i} (${features.calendar[features.date[i]]}, ` +
          `${features.instruments[features.instrument[i]]}) is ${v}; labels must be finite or NaN.`,
      );
    }
    if (features.date[i] <= last && v === v) n++;
  }
  const rows = new Int32Array(n);
  const dates = new Int32Array(n);
  const y = new Float64Array(n);
  let r = 0;
  for (let i = 0; i < features.length; i++) {
    if (features.date[i] <= last && label[i] === label[i]) {
      rows[r] = i;
      dates[r] = features.date[i];
      y[r] = label[i];
      r++;
    }
  }
  return { horizon, rows, dates, label: y };
}
