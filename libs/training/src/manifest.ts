/**
 * `manifest.json` of a model set: what was trained, on what, how, how well
 * and how long it took — everything needed to reproduce the run or to load
 * the models back (`loadModelSet` reads the weights, clip and neutralisation
 * settings and the feature order from here). Schema: schemas/Manifest.schema.json.
 */
import { xgboostVersion, type XGBoostOptions } from '@alphafeed/models';
import { horizonName, type TrainingPlan } from './training-plan';
import type { TrainResult } from './train-model2';

export const MANIFEST_SCHEMA_VERSION = 1;

export interface FoldScoreLine {
  readonly fold_id: number | 'oof';
  readonly ic: number | null;
  readonly rank_ic: number | null;
  readonly mse: number | null;
  readonly r2: number | null;
  readonly n_train?: number;
  readonly n_test: number;
}

export interface ManifestHorizon {
  readonly horizon: number;
  readonly n_samples: number;
  readonly n_dates: number;
  readonly last_labelled_date: string;
  readonly n_oof_covered: number;
  readonly oof_coverage: number;
  readonly var_bps2: number;
  readonly weight: number;
  readonly calibrator_thresholds: number;
  readonly meta: { readonly coef: number[]; readonly intercept: number };
  readonly files: Readonly<Record<string, string>>;
}

export interface Manifest {
  readonly schema_version: number;
  readonly model: 'model2';
  readonly model_version: string;
  readonly region: string;
  readonly config_hash: string;
  readonly git_sha: string;
  readonly seed: number;
  readonly created_at: string;
  readonly libxgboost: string | null;
  readonly data_range: {
    readonly first: string;
    readonly last: string;
    readonly rows: number;
    readonly instruments: number;
    readonly dates: number;
  };
  readonly label_cutoff: string;
  readonly features: readonly string[];
  readonly base_models: readonly ('ridge' | 'xgboost')[];
  readonly cv: TrainingPlan['cv'];
  readonly ridge: { readonly alpha: number };
  readonly meta: { readonly alpha: number };
  readonly xgboost: XGBoostOptions;
  readonly horizons: Readonly<Record<string, ManifestHorizon>>;
  readonly combination_weights: Readonly<Record<string, number>>;
  readonly style_neutral: boolean;
  readonly alpha_clip_bps: number;
  readonly clipped: Readonly<Record<string, number>>;
  /** model → horizon → per-fold and OOF scores (SPEC §7). */
  readonly cv_scores: Readonly<Record<string, Readonly<Record<string, FoldScoreLine[]>>>>;
  readonly runtime_ms: Readonly<Record<string, number>>;
}

const finiteOrNull = (v: number | undefined): number | null =>
  v !== undefined && Number.isFinite(v) ? v : null;

export function buildManifest(
  r: TrainResult,
  gitSha: string,
  extraRuntime: Readonly<Record<string, number>> = {},
): Manifest {
  const plan = r.plan;
  const horizons: Record<string, ManifestHorizon> = {};
  const weights: Record<string, number> = {};
  r.models.horizons.forEach((m, k) => {
    const h = horizonName(m.horizon);
    const hr = r.horizons[k];
    weights[h] = r.models.weights[k];
    const files: Record<string, string> = { meta: `meta_${h}.json`, calibrator: `calibrator_${h}.json` };
    if (m.ridge !== null) files.ridge = `ridge_${h}.json`;
    if (m.xgb !== null) files.xgb = `xgb_${h}.json`;
    horizons[h] = {
      horizon: m.horizon,
      n_samples: hr.samples.rows.length,
      n_dates: hr.cvPlan.nDates,
      last_labelled_date: hr.lastLabelledDate,
      n_oof_covered: hr.stacking.covered.length,
      oof_coverage: hr.splitsReport.oof_coverage,
      var_bps2: m.variance,
      weight: r.models.weights[k],
      calibrator_thresholds: m.calibrator.thresholds.x.length,
      meta: { coef: Array.from(m.meta.coef), intercept: m.meta.intercept },
      files,
    };
  });
  const cvScores: Record<string, Record<string, FoldScoreLine[]>> = {};
  for (const s of r.scores) {
    const byH = (cvScores[s.model] ??= {});
    const lines = (byH[s.horizon] ??= []);
    let line = lines.find((l) => l.fold_id === s.fold_id) as Record<string, unknown> | undefined;
    if (line === undefined) {
      line = { fold_id: s.fold_id, ic: null, rank_ic: null, mse: null, r2: null, n_test: 0 };
      lines.push(line as unknown as FoldScoreLine);
    }
    line[s.metric] = s.metric === 'n_train' || s.metric === 'n_test' ? s.value : finiteOrNull(s.value);
  }
  let libxgboost: string | null = null;
  if (plan.models.includes('xgboost')) libxgboost = xgboostVersion();
  const f = r.frame;
  return {
    schema_version: MANIFEST_SCHEMA_VERSION,
    model: 'model2',
    model_version: r.modelVersion,
    region: r.region,
    config_hash: r.configHash,
    git_sha: gitSha,
    seed: r.seed,
    created_at: new Date().toISOString(),
    libxgboost,
    data_range: {
      first: r.dataRange.first,
      last: r.dataRange.last,
      rows: f.length,
      instruments: new Set(f.instrument).size,
      dates: new Set(f.date).size,
    },
    label_cutoff: r.labelCutoff,
    features: [...plan.featureNames],
    base_models: [...plan.models],
    cv: plan.cv,
    ridge: { alpha: plan.ridge.alpha as number },
    meta: { alpha: plan.meta.alpha as number },
    xgboost: plan.xgboost,
    horizons,
    combination_weights: weights,
    style_neutral: plan.styleNeutral,
    alpha_clip_bps: plan.alphaClipBps,
    clipped: { ...r.predictions.clipped },
    cv_scores: cvScores,
    runtime_ms: { ...r.timings, ...extraRuntime },
  };
}
