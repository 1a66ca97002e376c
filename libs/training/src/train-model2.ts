/**
 * The whole Model 2 training run, in memory and without I/O (SPEC §5–7):
 * per horizon, CV of the base models → OOF → scores → meta Ridge → isotonic
 * → var_k; final base models on all matured samples; then predictions for
 * every feature row through `predictAlphas` (combination, neutralisation,
 * clipping). Validation happens first, so bad input fails before any fit.
 *
 * The result owns native XGBoost boosters: call `dispose()` when done (after
 * `writeArtifacts`). Cost is dominated by XGBoost: (splits + 1) fits per
 * horizon; everything else is linear in rows (isotonic: n log n).
 */
import type { RegionConfig } from '@alphafeed/config';
import type { FeatureFrame, LabelFrame } from '@alphafeed/core';
import type { CvPlan, OofResult, ScoreRecord, HorizonSplitsReport } from '@alphafeed/cv';
import { combinationWeights, type RidgeModel, type XGBoostModel } from '@alphafeed/models';
import {
  modelColumns,
  predictAlphas,
  type AlphaModels,
  type AlphaPredictions,
  type HorizonModels,
} from './alpha-pipeline';
import { fitBase } from './base-models';
import { runCv, planSplits } from './cv-orchestrator';
import { TrainingInputError } from './errors';
import type { TrainOptions } from './progress.types';
import { alignLabels, cutoffPosition, horizonSamples, type HorizonSamples } from './samples';
import { stackAndCalibrate, type StackedOof } from './stacking';
import { BASE_MODELS, horizonName, resolveTrainingPlan, type TrainingPlan } from './training-plan';

export interface TrainInput {
  readonly features: FeatureFrame;
  readonly labels: LabelFrame;
  readonly config: RegionConfig;
  /** Label-maturity cut-off (ISO date): only labels with t + k on or before it are used. Default: the last calendar date. */
  readonly labelCutoff?: string;
}

/** Feature importance of the final XGBoost model, per model feature. */
export interface FeatureImportance {
  readonly feature: readonly string[];
  readonly gain: Float64Array;
  readonly weight: Float64Array;
}

export interface HorizonResult {
  readonly horizon: number;
  /** `21d`. */
  readonly name: string;
  readonly samples: HorizonSamples;
  readonly cvPlan: CvPlan;
  readonly splitsReport: HorizonSplitsReport;
  /** OOF per base model (`ridge`, `xgb`), indexed by sample. */
  readonly oof: Readonly<Partial<Record<'ridge' | 'xgb', OofResult>>>;
  readonly stacking: StackedOof;
  readonly importance: FeatureImportance | null;
  /** Last sample date (ISO): the last date whose label had matured. */
  readonly lastLabelledDate: string;
}

export interface TrainResult {
  readonly region: string;
  readonly configHash: string;
  readonly seed: number;
  readonly modelVersion: string;
  readonly plan: TrainingPlan;
  readonly frame: FeatureFrame;
  readonly dataRange: { readonly first: string; readonly last: string };
  readonly labelCutoff: string;
  readonly horizons: readonly HorizonResult[];
  readonly models: AlphaModels;
  readonly predictions: AlphaPredictions;
  readonly scores: readonly ScoreRecord[];
  /** Wall time per stage, ms (`cv_21d_ridge`, `final_21d_xgb`, `stacking_21d`, `predict`, ...). */
  readonly timings: Readonly<Record<string, number>>;
  /** Frees the native boosters of the final models. */
  dispose(): void;
}

export function trainModel2(input: TrainInput, options: TrainOptions = {}): TrainResult {
  const started = Date.now();
  const { features: frame, labels, config } = input;
  const log = options.logger;
  const timings: Record<string, number> = {};
  const time = <T>(stage: string, work: () => T): T => {
    const t0 = Date.now();
    try {
      return work();
    } finally {
      timings[stage] = (timings[stage] ?? 0) + Date.now() - t0;
    }
  };

  // Validate everything before fitting anything.
  const plan = resolveTrainingPlan(config, frame, options.nthread);
  if (frame.length === 0)
    throw new TrainingInputError('NO_MATURED_LABELS', 'the feature frame has no rows: nothing to train on.');
  const columns = time('validate', () => modelColumns(frame, plan.featureNames));
  for (const k of plan.horizons) {
    if (!labels.horizons.includes(k)) {
      throw new TrainingInputError(
        'FRAME_MISMATCH',
        `labels.horizons lists ${k} but the label frame has only [${labels.horizons.join(', ')}]; compute labels with the config's horizons.`,
      );
    }
  }
  const cutoff = cutoffPosition(frame.calendar, input.labelCutoff);
  const horizonSets = sampleSets(frame, labels, plan, cutoff, time);
  log?.info(
    `train: region=${plan.region} config_hash=${plan.configHash.slice(0, 12)} seed=${plan.seed} ` +
      `rows=${frame.length} features=${plan.featureNames.length} cv=${plan.cv.method} ` +
      `trees=${plan.xgboost.nEstimators} nthread=${plan.xgboost.nthread} cut-off=${frame.calendar[cutoff]}`,
  );

  const baseOptions = { ridge: plan.ridge, xgboost: plan.xgboost };
  const horizonModels: HorizonModels[] = [];
  const horizonResults: HorizonResult[] = [];
  const scores: ScoreRecord[] = [];
  try {
    for (const { k, samples, lastDate, cvPlan } of horizonSets) {
      const h = horizonName(k);
      log?.info(
        `train ${h}: ${samples.rows.length} samples, ${cvPlan.splits.length} ${plan.cv.method} splits, last labelled date ${lastDate}`,
      );
      const cv = runCv(samples, columns, cvPlan, plan.models, baseOptions, options.onProgress);
      for (const [model, ms] of Object.entries(cv.ms)) timings[`cv_${h}_${model}`] = ms as number;
      scores.push(...cv.scores);
      for (const r of cv.scores) {
        if (r.fold_id === 'oof' && (r.metric === 'ic' || r.metric === 'rank_ic'))
          log?.info(`train ${h} ${r.model} OOF ${r.metric} ${r.value.toFixed(4)}`);
      }
      log?.info(`train ${h}: OOF coverage ${(100 * cv.report.oof_coverage).toFixed(1)}%`);

      const oofCols = plan.models.map((m) => (cv.oof[BASE_MODELS[m]] as OofResult).prediction);
      const stacking = time(`stacking_${h}`, () => stackAndCalibrate(oofCols, samples.label, plan.meta, h));
      log?.info(
        `train ${h}: meta coef [${Array.from(stacking.meta.coef, (c) => c.toPrecision(4)).join(', ')}], ` +
          `${stacking.calibrator.thresholds.x.length} isotonic thresholds, var ${stacking.variance.toFixed(1)} bps²`,
      );

      // Final base models on every matured sample.
      let ridge: RidgeModel | null = null;
      let xgb: XGBoostModel | null = null;
      for (const kind of plan.models) {
        const short = BASE_MODELS[kind];
        const t0 = Date.now();
        const fitted = fitBase(kind, columns, samples.rows, samples.label, baseOptions);
        if (fitted.kind === 'ridge') ridge = fitted.model;
        else xgb = fitted.model;
        const ms = Date.now() - t0;
        timings[`final_${h}_${short}`] = ms;
        options.onProgress?.({
          stage: 'final',
          horizon: h,
          model: short,
          fold: 'final',
          done: cvPlan.splits.length + 1,
          total: cvPlan.splits.length + 1,
          ms,
        });
      }
      let importance: FeatureImportance | null = null;
      if (xgb !== null) {
        importance = {
          feature: plan.featureNames,
          gain: xgb.featureImportance('gain'),
          weight: xgb.featureImportance('weight'),
        };
        logTopImportance(h, importance, log);
      }
      horizonModels.push({
        horizon: k,
        ridge,
        xgb,
        meta: stacking.meta,
        calibrator: stacking.calibrator,
        variance: stacking.variance,
      });
      horizonResults.push({
        horizon: k,
        name: h,
        samples,
        cvPlan,
        splitsReport: cv.report,
        oof: cv.oof,
        stacking,
        importance,
        lastLabelledDate: lastDate,
      });
    }

    const weights = combinationWeights(horizonModels.map((m) => m.variance));
    log?.info(
      `train: combination weights ${horizonModels.map((m, i) => `${horizonName(m.horizon)}=${weights[i].toFixed(4)}`).join(' ')}`,
    );
    const models: AlphaModels = {
      featureNames: plan.featureNames,
      horizons: horizonModels,
      weights,
      styleNeutral: plan.styleNeutral,
      alphaClipBps: plan.alphaClipBps,
    };
    const predictions = time('predict', () => predictAlphas(models, frame, columns));
    log?.info(
      `train: clipped to ±${plan.alphaClipBps} bps: ${Object.entries(predictions.clipped)
        .map(([c, n]) => `${c}=${n}`)
        .join(' ')}`,
    );
    timings.total = Date.now() - started;
    const dataRange = {
      first: frame.calendar[frame.date[0]],
      last: frame.calendar[frame.date[frame.length - 1]],
    };
    const labelCutoff = frame.calendar[cutoff];
    return {
      region: plan.region,
      configHash: plan.configHash,
      seed: plan.seed,
      modelVersion: `model2-${plan.region}-${labelCutoff}-${plan.configHash.slice(0, 12)}`,
      plan,
      frame,
      dataRange,
      labelCutoff,
      horizons: horizonResults,
      models,
      predictions,
      scores,
      timings,
      dispose: () => horizonModels.forEach((m) => m.xgb?.dispose()),
    };
  } catch (err) {
    for (const m of horizonModels) m.xgb?.dispose();
    throw err;
  }
}

/**
 * Per horizon: its samples, last labelled date and CV plan. The aligned label
 * columns (one float64 per feature row and horizon, 150 MB at US scale) are
 * only needed to pick the samples, so they live inside this call, not
 * through the fits.
 */
function sampleSets(
  frame: FeatureFrame,
  labels: LabelFrame,
  plan: TrainingPlan,
  cutoff: number,
  time: <T>(stage: string, work: () => T) => T,
): { k: number; samples: HorizonSamples; lastDate: string; cvPlan: CvPlan }[] {
  const aligned = time('align', () => alignLabels(frame, labels));
  for (const k of plan.horizons) {
    if (k >= frame.calendar.length) {
      throw new TrainingInputError(
        'HORIZON_TOO_LONG',
        `horizon ${horizonName(k)} is not shorter than the data (${frame.calendar.length} calendar dates, ` +
          `${frame.calendar[0]} .. ${frame.calendar[frame.calendar.length - 1]}); use a shorter horizon or more history.`,
      );
    }
  }
  return plan.horizons.map((k) => {
    const samples = horizonSamples(frame, aligned[labels.horizons.indexOf(k)], k, cutoff);
    if (samples.rows.length === 0) {
      throw new TrainingInputError(
        'NO_MATURED_LABELS',
        `horizon ${horizonName(k)}: no feature row has a label matured by ${frame.calendar[cutoff]} ` +
          `(t + ${k} <= cut-off); give more history or a later cut-off.`,
      );
    }
    const lastDate = frame.calendar[samples.dates[samples.dates.length - 1]];
    return { k, samples, lastDate, cvPlan: planSplits(samples, plan, frame.calendar) };
  });
}

function logTopImportance(h: string, imp: FeatureImportance, log: TrainOptions['logger']): void {
  if (log === undefined) return;
  const order = imp.feature.map((_, j) => j).sort((a, b) => imp.gain[b] - imp.gain[a] || a - b);
  const top = order
    .slice(0, 20)
    .map((j) => `${imp.feature[j]}=${imp.gain[j].toPrecision(3)}(${imp.weight[j]})`);
  log.info(`train ${h}: XGBoost importance gain(weight), top ${top.length}: ${top.join(' ')}`);
}
