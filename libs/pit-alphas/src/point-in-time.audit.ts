/**
 * The point-in-time audit: no alpha may come from a model that saw data it
 * could not have seen on the alpha's date. What each training saw is read
 * from the trainer's own result (its feature frame and the dates of the
 * samples it fitted on), not from the schedule that asked for it, so a
 * training handed one date too many is caught however it happened.
 *
 * Checked, for every model j with retrain date T_j and every row it scored:
 * - every feature row it trained on is dated <= T_j;
 * - every label it trained on matured by T_j: `idx(t) + k <= idx(T_j)`;
 * - every row it scored is dated in `(T_j, T_{j+1}]` (the last model: up to
 *   the end), so no row is scored by a model trained on or after its date,
 *   nor by a stale one when a newer model exists.
 * O(rows + models); `computePointInTimeAlphas` runs it before returning.
 */
import type { TrainResult } from '@alphafeed/training';
import type { AlphaTable } from './alpha-table';

/** What one training saw and what its model scored (also the manifest's record of it). */
export interface PitTraining {
  readonly modelId: string;
  /** Retrain date T (ISO) and its calendar position. */
  readonly retrainDate: string;
  readonly retrainPosition: number;
  /** Calendar positions of the first and last dates the model scores: `(T, end]`. */
  readonly scoredFirstPosition: number;
  readonly scoredLastPosition: number;
  readonly scoredRows: number;
  /** Feature rows of the training frame and the calendar position of its last row. */
  readonly trainingRows: number;
  readonly trainingLastPosition: number;
  readonly horizons: readonly PitTrainingHorizon[];
  /** `var_k` (bps²) and combination weights `w_k`, aligned with `horizons`. */
  readonly variances: readonly number[];
  readonly weights: readonly number[];
  /** `H = sum_k w_k k`. */
  readonly horizonDays: number;
  /** Wall time of the training and scoring, ms (of the run that computed it, when cached). */
  readonly ms: number;
  /** True when the segment was read from the cache instead of trained. */
  readonly cached: boolean;
}

export interface PitTrainingHorizon {
  readonly horizon: number;
  readonly samples: number;
  /** Largest `idx(t) + k` over the samples fitted: the position at which the last label used matured. */
  readonly lastMaturityPosition: number;
}

/** The audit fields of a finished training, read from the trainer's result. O(training rows). */
export function trainingSeen(result: TrainResult): {
  trainingRows: number;
  trainingLastPosition: number;
  horizons: PitTrainingHorizon[];
} {
  const f = result.frame;
  let last = -1;
  for (let i = 0; i < f.length; i++) if (f.date[i] > last) last = f.date[i];
  const horizons = result.horizons.map((h) => {
    let maturity = -1;
    const dates = h.samples.dates;
    for (let s = 0; s < dates.length; s++)
      if (dates[s] + h.horizon > maturity) maturity = dates[s] + h.horizon;
    return { horizon: h.horizon, samples: dates.length, lastMaturityPosition: maturity };
  });
  return { trainingRows: f.length, trainingLastPosition: last, horizons };
}

/** Every violation found, as one-line messages (empty: the table is point-in-time). */
export function pointInTimeViolations(table: AlphaTable, trainings: readonly PitTraining[]): string[] {
  const out: string[] = [];
  const cal = table.calendar;
  if (table.modelIds.length !== trainings.length) {
    out.push(`the table names ${table.modelIds.length} models, the run trained ${trainings.length}`);
    return out;
  }
  trainings.forEach((t, m) => {
    const T = t.retrainPosition;
    if (table.modelIds[m] !== t.modelId)
      out.push(`model ${m} is ${table.modelIds[m]} in the table but ${t.modelId} in the run`);
    if (t.trainingLastPosition > T)
      out.push(
        `${t.modelId} (retrain ${cal[T]}) trained on feature rows dated up to ${cal[t.trainingLastPosition]}`,
      );
    for (const h of t.horizons) {
      if (h.lastMaturityPosition > T)
        out.push(
          `${t.modelId} (retrain ${cal[T]}) trained on a ${h.horizon}d label that matured on ` +
            `${cal[h.lastMaturityPosition] ?? `position ${h.lastMaturityPosition}`}, after its retrain date`,
        );
    }
    if (m > 0 && trainings[m - 1].scoredLastPosition !== T)
      out.push(
        `${t.modelId} takes over at ${cal[T]} but the previous model scores up to ${cal[trainings[m - 1].scoredLastPosition]}`,
      );
  });
  let bad = 0;
  for (let r = 0; r < table.length; r++) {
    const m = table.model[r];
    const t = trainings[m];
    const d = table.date[r];
    if (t !== undefined && d > t.retrainPosition && d <= t.scoredLastPosition) continue;
    if (bad++ < 5) {
      out.push(
        t === undefined
          ? `row ${r} (${cal[d]}) names model ${m}, which the run did not train`
          : `row ${r} (${cal[d]}, ${table.instruments[table.instrument[r]]}) is scored by ${t.modelId}, ` +
              `which scores only (${cal[t.retrainPosition]}, ${cal[t.scoredLastPosition]}]`,
      );
    }
  }
  if (bad > 5) out.push(`... and ${bad - 5} more rows scored outside their model's dates`);
  return out;
}
