/**
 * What exists at the close of a date T, cut from frames computed on the
 * whole history. Features (SPEC §2–3) at t use bars dated <= t only, so the
 * feature rows dated <= T are exactly those a run on the bars up to T
 * computes; labels (SPEC §4) of t with `idx(t) + k <= idx(T)` are final by
 * then, and every later one would be NaN in a run on the bars up to T
 * ("t + k past the end of the calendar"). So masking them to NaN gives the
 * label frame that run computes, bit for bit
 * (`visible-at-equals-recompute-on-truncated-bars.spec.ts` checks both).
 *
 * Feature rows are sorted by date, so the visible rows are a prefix and are
 * taken as zero-copy views; the masked labels are one copy per horizon of
 * the visible label rows. O(visible label rows).
 */
import { dateOffsets, type FeatureFrame, type LabelFrame } from '@alphafeed/core';
import { PitInputError } from './errors';

export interface VisibleFrames {
  readonly features: FeatureFrame;
  readonly labels: LabelFrame;
}

/** The frames as they stand at the close of calendar position `T`. */
export type VisibilityRule = (features: FeatureFrame, labels: LabelFrame, T: number) => VisibleFrames;

export const visibleAt: VisibilityRule = (features, labels, T) => {
  const calendar = features.calendar.slice(0, T + 1);
  return {
    features: featureRows(features, -1, T, calendar),
    labels: maskedLabels(labels, T, calendar),
  };
};

/**
 * The feature rows dated in `(after, upTo]` as views, with the calendar cut
 * at `upTo` (what a scorer holds on the last date it scores).
 */
export function scoringFrame(features: FeatureFrame, after: number, upTo: number): FeatureFrame {
  return featureRows(features, after, upTo, features.calendar.slice(0, upTo + 1));
}

function featureRows(
  f: FeatureFrame,
  after: number,
  upTo: number,
  calendar: readonly string[],
): FeatureFrame {
  const offsets = dateOffsets(f.date, f.calendar.length);
  const lo = offsets[after + 1];
  const hi = offsets[upTo + 1];
  return {
    calendar,
    instruments: f.instruments,
    industries: f.industries,
    featureNames: f.featureNames,
    length: hi - lo,
    date: f.date.subarray(lo, hi),
    instrument: f.instrument.subarray(lo, hi),
    industry: f.industry.subarray(lo, hi),
    carried: f.carried.subarray(lo, hi),
    features: f.features.map((c) => c.subarray(lo, hi)),
    beta252: f.beta252.subarray(lo, hi),
    size: f.size.subarray(lo, hi),
    momentum: f.momentum.subarray(lo, hi),
  };
}

function maskedLabels(l: LabelFrame, T: number, calendar: readonly string[]): LabelFrame {
  const offsets = dateOffsets(l.date, l.calendar.length);
  const hi = offsets[T + 1];
  const date = l.date.subarray(0, hi);
  const labels = l.horizons.map((k, h) => {
    const src = l.labels[h];
    const out = new Float64Array(hi);
    const lastVisible = T - k;
    for (let r = 0; r < hi; r++) out[r] = date[r] <= lastVisible ? src[r] : NaN;
    return out;
  });
  return {
    calendar,
    instruments: l.instruments,
    horizons: l.horizons,
    length: hi,
    date,
    instrument: l.instrument.subarray(0, hi),
    carried: l.carried.subarray(0, hi),
    labels,
  };
}

/**
 * Per calendar date, 1 when some feature row of that date has a non-NaN
 * `label` (aligned on the feature rows): the dates that count as training
 * data for the schedule. O(feature rows).
 */
export function labelledDates(features: FeatureFrame, label: Float64Array): Uint8Array {
  const out = new Uint8Array(features.calendar.length);
  for (let i = 0; i < features.length; i++) if (label[i] === label[i]) out[features.date[i]] = 1;
  return out;
}

/**
 * The feature and label frames must share one calendar (horizons and the
 * schedule count its positions) and be sorted by date (views cut prefixes).
 * O(dates + rows).
 */
export function checkFramesAgree(features: FeatureFrame, labels: LabelFrame): void {
  const a = features.calendar;
  const b = labels.calendar;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new PitInputError(
      'FRAME_MISMATCH',
      `the feature and label frames have different calendars (${a.length} dates ${a[0]} .. ${a[a.length - 1]} vs ` +
        `${b.length} dates ${b[0]} .. ${b[b.length - 1]}); compute both from the same bars.`,
    );
  }
  for (const [name, date] of [
    ['feature', features.date],
    ['label', labels.date],
  ] as const) {
    for (let i = 1; i < date.length; i++) {
      if (date[i] < date[i - 1]) {
        throw new PitInputError(
          'FRAME_MISMATCH',
          `${name} rows must be sorted by date; row ${i} (${a[date[i]]}) comes after ${a[date[i - 1]]}.`,
        );
      }
    }
  }
}
