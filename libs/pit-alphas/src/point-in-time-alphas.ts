/**
 * Point-in-time alphas (SPEC §9): the alphas the live feed would have
 * published on each date. At every retrain date T (`retrain-schedule.ts`)
 * the Model 2 trainer of `@alphafeed/training` runs, unchanged, on exactly
 * the frames visible at the close of T (`visible-at.ts`): the whole of
 * SPEC §5–6 (CV, OOF, stacking, calibration, var_k, combination weights).
 * Its models then score the dates `T < t <= next retrain date` through the
 * trainer's own `predictAlphas` (neutralisation and clip included), the
 * same code a loaded model set runs. The audit (`point-in-time.audit.ts`)
 * checks the result against what each training actually saw.
 *
 * Cost: one full training per retrain date, growing with the window
 * (XGBoost dominates: (splits + 1) fits per horizon), plus one prediction
 * pass per scored row. Memory: the trainer's, plus the masked label columns
 * of the visible rows. Segments can be cached (`segment.cache.ts`) so an
 * interrupted run resumes and new data retrains only the segments it
 * changes.
 */
import type { RegionConfig } from '@alphafeed/config';
import { dateOffsets, InputError, type FeatureFrame, type LabelFrame } from '@alphafeed/core';
import {
  alignLabels,
  horizonName,
  predictAlphas,
  resolveTrainingPlan,
  trainModel2,
  type TrainLogger,
  type TrainProgressEvent,
  type TrainResult,
  type TrainingPlan,
} from '@alphafeed/training';
import { concatSegments, type AlphaSegment, type AlphaTable } from './alpha-table';
import { PitInputError, PitLeakError } from './errors';
import { pointInTimeViolations, trainingSeen, type PitTraining } from './point-in-time.audit';
import { retrainSchedule, type RetrainSchedule, type ScheduleOptions } from './retrain-schedule';
import { segmentDigests } from './input.digest';
import { SegmentCache } from './segment.cache';
import { checkFramesAgree, labelledDates, scoringFrame, visibleAt, type VisibilityRule } from './visible-at';

export interface PitInput {
  readonly features: FeatureFrame;
  readonly labels: LabelFrame;
  readonly config: RegionConfig;
}

/** Reported after each XGBoost fit inside a training and when a training ends. */
export interface PitProgressEvent {
  /** 1-based index of the training in progress among those to train (cached ones excluded). */
  readonly training: number;
  readonly trainings: number;
  readonly retrainDate: string;
  /**
   * Work done and total, in feature rows trained on (a training's cost grows
   * with its window, so an ETA over rows is fairer than one over trainings).
   */
  readonly work: number;
  readonly totalWork: number;
  /** True on the event that ends a training. */
  readonly finished: boolean;
  /** The trainer's fit event this one relays, if any. */
  readonly fit?: TrainProgressEvent;
}

export interface PitOptions extends ScheduleOptions {
  /** XGBoost threads; overrides `models.xgboost.nthread` (0 = all cores). */
  readonly nthread?: number;
  readonly onProgress?: (event: PitProgressEvent) => void;
  /** Receives the lib's lines and every training's own log. */
  readonly logger?: TrainLogger;
  /**
   * Directory of cached segments (one per retrain date, keyed by config_hash,
   * the dates and a digest of the visible inputs); none = no cache.
   */
  readonly cacheDir?: string;
  /** Part of the cache key: a code version (e.g. the git sha) so code changes do not reuse old segments. */
  readonly codeVersion?: string;
  /**
   * Called with each training's result before its boosters are freed (tests,
   * reports); a returned promise is awaited before they are.
   */
  readonly onTrained?: (retrainDate: string, result: TrainResult) => void | Promise<void>;
  /**
   * Test seam: the frames a training at T is given (default `visibleAt`). A
   * test plants a leak here to show that the audit catches it.
   */
  readonly visibility?: VisibilityRule;
}

export interface PitRun {
  readonly table: AlphaTable;
  readonly schedule: RetrainSchedule;
  readonly trainings: readonly PitTraining[];
  readonly configHash: string;
  /** Digest of every input row the run read (features and matured labels), for the manifest. */
  readonly inputDigest: string;
}

export async function computePointInTimeAlphas(input: PitInput, options: PitOptions = {}): Promise<PitRun> {
  const { features, labels } = input;
  const log = options.logger;

  const plan = validatedPlan(input, options.nthread);
  const calendar = features.calendar;
  const longest = Math.max(...plan.horizons);
  const { schedule, digests } = scheduleAndDigests(features, labels, plan, options);
  const { retrainDates, ends } = schedule;
  const cache =
    options.cacheDir === undefined
      ? null
      : new SegmentCache(options.cacheDir, {
          configHash: plan.configHash,
          codeVersion: options.codeVersion ?? '',
          features,
          horizons: plan.horizons,
          retrainDates,
          ends,
          digests,
        });
  log?.info(
    `pit: ${retrainDates.length} trainings, retrain every ${schedule.retrainEvery} dates from T0 ${calendar[schedule.t0]} ` +
      `(${schedule.trainDatesAtT0} dates with a matured ${horizonName(longest)} label), alphas ` +
      `${calendar[schedule.t0 + 1]} .. ${calendar[calendar.length - 1]}`,
  );

  const cached: ({ segment: AlphaSegment; training: PitTraining } | null)[] = [];
  for (let j = 0; j < retrainDates.length; j++)
    cached.push(cache === null ? null : await cache.read(j, calendar, features.instruments));
  const rowOffsets = dateOffsets(features.date, calendar.length);
  const todo = cached.flatMap((c, j) => (c === null ? [j] : []));
  const workOf = (j: number): number => rowOffsets[retrainDates[j] + 1];
  const totalWork = todo.reduce((s, j) => s + workOf(j), 0);
  if (cache !== null && todo.length < retrainDates.length)
    log?.info(
      `pit: ${retrainDates.length - todo.length} segments from the cache ${options.cacheDir}, ${todo.length} to train`,
    );

  const segments: AlphaSegment[] = [];
  const trainings: PitTraining[] = [];
  let workDone = 0;
  for (let j = 0; j < retrainDates.length; j++) {
    const hit = cached[j];
    if (hit !== null) {
      segments.push(hit.segment);
      trainings.push(hit.training);
      continue;
    }
    const T = retrainDates[j];
    const started = Date.now();
    const index = todo.indexOf(j) + 1;
    const work = workOf(j);
    const report = (finished: boolean, fraction: number, fit?: TrainProgressEvent): void =>
      options.onProgress?.({
        training: index,
        trainings: todo.length,
        retrainDate: calendar[T],
        work: workDone + Math.round(work * fraction),
        totalWork,
        finished,
        ...(fit === undefined ? {} : { fit }),
      });
    const { segment, training } = await pointInTimeSegment(input, T, ends[j], {
      nthread: options.nthread,
      logger: options.logger,
      onTrained: options.onTrained,
      visibility: options.visibility,
      onFit: (fraction, fit) => report(false, fraction, fit),
    });
    const ms = Date.now() - started;
    const done = { ...training, ms };
    workDone += work;
    report(true, 0);
    await cache?.write(j, segment, done);
    segments.push(segment);
    trainings.push(done);
    log?.info(
      `pit: ${index}/${todo.length} ${segment.modelId}: ${training.trainingRows} training rows, scored ` +
        `${training.scoredRows} rows ${calendar[T + 1]} .. ${calendar[ends[j]]}, H ${training.horizonDays.toFixed(2)} days, ` +
        `${(ms / 1000).toFixed(1)}s`,
    );
  }

  const table = concatSegments('point-in-time', calendar, features.instruments, plan.horizons, segments);
  if (table.length === 0) {
    throw new PitInputError(
      'TOO_LITTLE_HISTORY',
      `no feature row is dated after the first retrain date ${calendar[schedule.t0]}: nothing to score; give more history.`,
    );
  }
  const violations = pointInTimeViolations(table, trainings);
  if (violations.length > 0) throw new PitLeakError(violations);
  cache?.prune();
  return {
    table,
    schedule,
    trainings,
    configHash: plan.configHash,
    inputDigest: digests[digests.length - 1],
  };
}

/** The trainer's plan of the config, after checking that the frames fit it and each other. */
function validatedPlan(input: PitInput, nthread?: number): TrainingPlan {
  const { features, labels, config } = input;
  checkFramesAgree(features, labels);
  const plan = resolveTrainingPlan(config, features, nthread);
  for (const k of plan.horizons) {
    if (!labels.horizons.includes(k)) {
      throw new PitInputError(
        'FRAME_MISMATCH',
        `labels.horizons lists ${k} but the label frame has only [${labels.horizons.join(', ')}]; compute labels with the config's horizons.`,
      );
    }
  }
  return plan;
}

/** The retrain schedule of a run on `input` (SPEC §9), without training anything. O(rows). */
export function pointInTimeSchedule(input: PitInput, options: ScheduleOptions = {}): RetrainSchedule {
  const plan = validatedPlan(input);
  const { features, labels } = input;
  const longest = Math.max(...plan.horizons);
  const aligned = alignLabels(features, labels)[labels.horizons.indexOf(longest)];
  return retrainSchedule(labelledDates(features, aligned), longest, features.calendar, options);
}

/**
 * The schedule and the segment digests, both read from the labels aligned on
 * the feature rows (one float64 column per horizon, freed on return rather
 * than held through the trainings).
 */
function scheduleAndDigests(
  features: FeatureFrame,
  labels: LabelFrame,
  plan: TrainingPlan,
  options: ScheduleOptions,
): { schedule: RetrainSchedule; digests: string[] } {
  const aligned = alignLabels(features, labels);
  const alignedOf = (k: number): Float64Array => aligned[labels.horizons.indexOf(k)];
  const longest = Math.max(...plan.horizons);
  const schedule = retrainSchedule(
    labelledDates(features, alignedOf(longest)),
    longest,
    features.calendar,
    options,
  );
  const digests = segmentDigests({
    features,
    featureNames: plan.featureNames,
    horizons: plan.horizons,
    labels: plan.horizons.map(alignedOf),
    retrainDates: schedule.retrainDates,
    ends: schedule.ends,
  });
  return { schedule, digests };
}

export interface SegmentOptions {
  readonly nthread?: number;
  readonly logger?: TrainLogger;
  readonly onTrained?: PitOptions['onTrained'];
  /** Fraction of the training's XGBoost fits done, after each one. */
  readonly onFit?: (fraction: number, fit: TrainProgressEvent) => void;
  readonly visibility?: VisibilityRule;
}

/**
 * One segment of a run: train Model 2 on what is visible at the close of
 * calendar position `T`, then score the feature rows dated `(T, end]` with
 * its models. What the live trainer does at a retrain date, and what the
 * rolling run repeats; `ms` of the record is left 0 for the caller.
 */
export async function pointInTimeSegment(
  input: PitInput,
  T: number,
  end: number,
  options: SegmentOptions = {},
): Promise<{ segment: AlphaSegment; training: PitTraining }> {
  const { features, labels, config } = input;
  const horizons = input.config.labels.horizons;
  const visibility = options.visibility ?? visibleAt;
  const calendar = features.calendar;
  if (!(Number.isInteger(T) && Number.isInteger(end) && 0 <= T && T < end && end < calendar.length)) {
    throw new PitInputError(
      'OPTIONS',
      `a segment needs calendar positions 0 <= T < end < ${calendar.length}, got T = ${T}, end = ${end}.`,
    );
  }
  const visible = visibility(features, labels, T);
  // Fits reported by the trainer: the XGBoost ones carry the time, so only they advance the bar.
  let xgbFits = 0;
  const onProgress = (e: TrainProgressEvent): void => {
    if (e.model !== 'xgb') return;
    xgbFits++;
    options.onFit?.(Math.min(1, xgbFits / (e.total * horizons.length)), e);
  };
  let result: TrainResult;
  try {
    result = trainModel2(
      // The label cut-off is the trainer's default, the last date of the visible calendar: T.
      { features: visible.features, labels: visible.labels, config },
      { nthread: options.nthread, logger: options.logger, onProgress },
    );
  } catch (err) {
    if (err instanceof InputError) {
      throw new PitInputError('TRAINING', `training at retrain date ${calendar[T]}: ${err.message}`, {
        cause: err,
      });
    }
    throw err;
  }
  try {
    await options.onTrained?.(calendar[T], result);
    const scored = scoringFrame(features, T, end);
    const p = predictAlphas(result.models, scored);
    const weights = Array.from(result.models.weights);
    const variances = result.models.horizons.map((h) => h.variance);
    const modelHorizons = result.models.horizons.map((h) => h.horizon);
    if (modelHorizons.some((k, i) => k !== horizons[i]))
      throw new Error(`the trainer returned horizons [${modelHorizons}] for a plan of [${horizons}]`);
    const horizonDays = weights.reduce((s, w, i) => s + w * modelHorizons[i], 0);
    const segment: AlphaSegment = {
      date: scored.date,
      instrument: scored.instrument,
      alphas: p.alphas,
      alphaCombined: p.combined,
      variance: variances,
      horizonDays,
      modelId: result.modelVersion,
    };
    const training: PitTraining = {
      modelId: result.modelVersion,
      retrainDate: calendar[T],
      retrainPosition: T,
      scoredFirstPosition: T + 1,
      scoredLastPosition: end,
      scoredRows: scored.length,
      ...trainingSeen(result),
      variances,
      weights,
      horizonDays,
      ms: 0,
      cached: false,
    };
    return { segment, training };
  } finally {
    result.dispose();
  }
}
