/**
 * Everything a training run reads from the region config, resolved and
 * validated once at the boundary (before any model is fitted), so that a bad
 * config fails in milliseconds and nothing downstream re-checks options.
 */
import type { RegionConfig } from '@alphafeed/config';
import { configHash } from '@alphafeed/config';
import { MIN_EMBARGO_DAYS } from '@alphafeed/cv';
import type { FeatureFrame } from '@alphafeed/core';
import type { RidgeOptions, XGBoostOptions } from '@alphafeed/models';
import { TrainingInputError } from './errors';

/** Base model names of the config and their short names in files and scores (golden: ridge, xgb). */
export const BASE_MODELS = { ridge: 'ridge', xgboost: 'xgb' } as const;
export type BaseModelName = keyof typeof BASE_MODELS;
export type ShortModelName = (typeof BASE_MODELS)[BaseModelName];

export interface TrainingPlan {
  readonly region: string;
  readonly configHash: string;
  readonly seed: number;
  /** Model features used, in SPEC order, and their column in the frame. */
  readonly featureNames: readonly string[];
  readonly featureColumns: readonly number[];
  readonly horizons: readonly number[];
  readonly cv:
    | {
        readonly method: 'walk_forward';
        readonly nSplits: number;
        readonly embargoDays: number;
        readonly minFoldSamples: number;
      }
    | {
        readonly method: 'cpcv';
        readonly nGroups: number;
        readonly nTestGroups: number;
        readonly embargoDays: number;
        readonly minFoldSamples: number;
      };
  /** Base models in config order; `ridge` before `xgboost` in the stacker's columns. */
  readonly models: readonly BaseModelName[];
  readonly ridge: RidgeOptions;
  readonly meta: RidgeOptions;
  readonly xgboost: XGBoostOptions;
  readonly styleNeutral: boolean;
  readonly alphaClipBps: number;
}

/** `label_21d` → `21d`: the horizon suffix of every file and score line. */
export function horizonName(k: number): string {
  return `${k}d`;
}

/**
 * Resolves the plan of a run. `nthread` overrides `models.xgboost.nthread`
 * (results do not depend on it beyond 1e-6, SPEC §6). A debug config
 * (`debug: true`) trains `training.debug.n_estimators` trees.
 */
export function resolveTrainingPlan(
  config: RegionConfig,
  frame: FeatureFrame,
  nthread?: number,
): TrainingPlan {
  const cv = config.cv;
  if (!(Number.isInteger(cv.embargo_days) && cv.embargo_days >= MIN_EMBARGO_DAYS)) {
    throw new TrainingInputError(
      'EMBARGO_TOO_SMALL',
      `cv.embargo_days = ${cv.embargo_days} is below the minimum of ${MIN_EMBARGO_DAYS} trading days (SPEC §5); ` +
        `set it to at least ${MIN_EMBARGO_DAYS}.`,
    );
  }
  const models: BaseModelName[] = [];
  for (const name of config.models.names as readonly string[]) {
    if (name !== 'ridge' && name !== 'xgboost') {
      throw new TrainingInputError(
        'UNKNOWN_MODEL',
        `models.names lists unknown model "${name}"; the base models are ridge and xgboost.`,
      );
    }
    if (models.includes(name)) {
      throw new TrainingInputError(
        'UNKNOWN_MODEL',
        `models.names lists "${name}" twice; list each model once.`,
      );
    }
    models.push(name);
  }
  if (models.length === 0)
    throw new TrainingInputError('UNKNOWN_MODEL', 'models.names is empty; list ridge and/or xgboost.');
  // The stacker's columns follow one fixed order whatever the config's order.
  models.sort((a, b) => (a === b ? 0 : a === 'ridge' ? -1 : 1));

  const featureNames: string[] = [];
  const featureColumns: number[] = [];
  for (const name of config.features.names) {
    const j = frame.featureNames.indexOf(name);
    if (j >= 0) {
      featureNames.push(name);
      featureColumns.push(j);
    } else if (name !== 'turnover_20') {
      // turnover_20 exists only for inputs with shares_out (SPEC §2); anything else missing is a mismatch.
      throw new TrainingInputError(
        'FRAME_MISMATCH',
        `features.names lists "${name}" but the feature frame has only [${frame.featureNames.join(', ')}].`,
      );
    }
  }
  if (featureNames.length === 0) {
    throw new TrainingInputError('FRAME_MISMATCH', 'no configured model feature is in the feature frame.');
  }
  const horizons = [...config.labels.horizons];
  for (const k of horizons) {
    if (!Number.isInteger(k) || k < 1) {
      throw new TrainingInputError(
        'CONFIG',
        `horizon ${k} is not a positive integer number of trading days.`,
      );
    }
  }
  const x = config.models.xgboost;
  const threads = nthread ?? x.nthread;
  if (!Number.isInteger(threads) || threads < 0) {
    throw new TrainingInputError(
      'CONFIG',
      `nthread must be an integer >= 0 (0 = all cores), got ${threads}.`,
    );
  }
  return {
    region: config.region,
    configHash: configHash(config),
    seed: config.seed,
    featureNames,
    featureColumns,
    horizons,
    cv:
      cv.method === 'cpcv'
        ? {
            method: 'cpcv',
            nGroups: cv.n_groups,
            nTestGroups: cv.n_test_groups,
            embargoDays: cv.embargo_days,
            minFoldSamples: cv.min_fold_samples,
          }
        : {
            method: 'walk_forward',
            nSplits: cv.n_splits,
            embargoDays: cv.embargo_days,
            minFoldSamples: cv.min_fold_samples,
          },
    models,
    ridge: { alpha: config.models.ridge.alpha },
    meta: { alpha: config.models.meta.alpha },
    xgboost: {
      nEstimators: config.debug ? config.training.debug.n_estimators : x.n_estimators,
      maxDepth: x.max_depth,
      eta: x.eta,
      subsample: x.subsample,
      colsampleBytree: x.colsample_bytree,
      seed: config.seed,
      treeMethod: x.tree_method,
      objective: x.objective,
      baseScore: x.base_score,
      maxBin: x.max_bin,
      lambda: x.lambda,
      minChildWeight: x.min_child_weight,
      nthread: threads,
    },
    styleNeutral: config.neutralization.style_neutral,
    alphaClipBps: config.alpha_clip_bps,
  };
}
