/**
 * Cross-validation of the base models for one horizon (SPEC §5, §7): plan
 * the splits on the samples' dates, fit every base model on each split's
 * train rows and predict its test rows, assemble the out-of-fold predictions
 * and score every fold and the OOF set.
 *
 * Cost: one fit per (split, model) on the split's train rows, read in place
 * from the frame's columns (see base-models: no JS copy of a fold's matrix,
 * only XGBoost's own DMatrix while it boosts); boosters are freed as soon as
 * their test rows are predicted, so memory stays at one fold's DMatrix.
 */
import {
  assembleOof,
  CvError,
  cpcvSplits,
  horizonSplitsReport,
  scoreOof,
  scoreRecords,
  scoreSplit,
  walkForwardSplits,
  type CvPlan,
  type HorizonSplitsReport,
  type OofResult,
  type ScoreRecord,
} from '@alphafeed/cv';
import { disposeBase, fitBase, predictBase, type BaseModelOptions } from './base-models';
import { gather } from './gather';
import { TrainingInputError } from './errors';
import type { TrainProgressEvent } from './progress.types';
import type { HorizonSamples } from './samples';
import {
  BASE_MODELS,
  horizonName,
  type BaseModelName,
  type ShortModelName,
  type TrainingPlan,
} from './training-plan';

export interface CvRun {
  readonly plan: CvPlan;
  /** The per-horizon block of `splits.json`. */
  readonly report: HorizonSplitsReport;
  /** OOF per base model, indexed by sample (see `HorizonSamples`). */
  readonly oof: Partial<Record<ShortModelName, OofResult>>;
  /** Per-fold and OOF scores, model by model, in the golden line order. */
  readonly scores: ScoreRecord[];
  /** Wall time per model, ms. */
  readonly ms: Partial<Record<ShortModelName, number>>;
}

/** Plans the splits of one horizon; cv-lib errors become `TrainingInputError`s naming the horizon. */
export function planSplits(samples: HorizonSamples, plan: TrainingPlan, calendar: readonly string[]): CvPlan {
  const horizon = samples.horizon;
  const common = {
    horizon,
    embargoDays: plan.cv.embargoDays,
    minFoldSamples: plan.cv.minFoldSamples,
    calendar,
  };
  try {
    return plan.cv.method === 'cpcv'
      ? cpcvSplits(samples.dates, { ...common, nGroups: plan.cv.nGroups, nTestGroups: plan.cv.nTestGroups })
      : walkForwardSplits(samples.dates, { ...common, nSplits: plan.cv.nSplits });
  } catch (err) {
    if (err instanceof CvError) {
      const reason =
        err.code === 'CV_HORIZON_TOO_LONG'
          ? 'HORIZON_TOO_LONG'
          : err.code === 'CV_EMBARGO_TOO_SMALL'
            ? 'EMBARGO_TOO_SMALL'
            : 'CV';
      throw new TrainingInputError(
        reason,
        `horizon ${horizonName(horizon)} (${samples.rows.length} samples on ${countDates(samples.dates)} dates): ${err.message}`,
        { cause: err },
      );
    }
    throw err;
  }
}

function countDates(dates: Int32Array): number {
  let n = dates.length > 0 ? 1 : 0;
  for (let i = 1; i < dates.length; i++) if (dates[i] !== dates[i - 1]) n++;
  return n;
}

/**
 * Runs the CV of every base model on one horizon. `columns` are the model
 * feature columns of the whole frame; sample s is feature row `samples.rows[s]`.
 */
export function runCv(
  samples: HorizonSamples,
  columns: readonly Float64Array[],
  cvPlan: CvPlan,
  models: readonly BaseModelName[],
  options: BaseModelOptions,
  onFit?: (event: TrainProgressEvent) => void,
): CvRun {
  const h = horizonName(samples.horizon);
  const oof: Partial<Record<ShortModelName, OofResult>> = {};
  const ms: Partial<Record<ShortModelName, number>> = {};
  const scores: ScoreRecord[] = [];
  const splits = cvPlan.splits;
  let coverage = NaN;

  for (const kind of models) {
    const short = BASE_MODELS[kind];
    const started = Date.now();
    const perSplit: Float64Array[] = [];
    const foldScores: ScoreRecord[] = [];
    for (let s = 0; s < splits.length; s++) {
      const split = splits[s];
      const t0 = Date.now();
      const trainRows = gather(samples.rows, split.trainRows);
      const yTrain = gather(samples.label, split.trainRows);
      const fitted = fitBase(kind, columns, trainRows, yTrain, options);
      let pred: Float64Array;
      try {
        pred = predictBase(fitted, columns, gather(samples.rows, split.testRows));
      } finally {
        disposeBase(fitted);
      }
      perSplit.push(pred);
      foldScores.push(
        ...scoreRecords(short, h, split.foldId, scoreSplit(split, pred, samples.label, samples.dates)),
      );
      onFit?.({
        stage: 'cv',
        horizon: h,
        model: short,
        fold: split.foldId,
        done: s + 1,
        total: splits.length + 1,
        ms: Date.now() - t0,
      });
    }
    const result = assembleOof(samples.rows.length, splits, perSplit);
    coverage = result.coverage;
    oof[short] = result;
    scores.push(
      ...foldScores,
      ...scoreRecords(short, h, 'oof', scoreOof(result.prediction, samples.label, samples.dates)),
    );
    ms[short] = Date.now() - started;
  }
  return { plan: cvPlan, report: horizonSplitsReport(cvPlan, coverage), oof, scores, ms };
}
