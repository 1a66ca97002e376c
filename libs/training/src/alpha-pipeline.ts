/**
 * From fitted models to published alphas (SPEC §6, in its order): final base
 * models → meta Ridge → isotonic → `alpha_k` (bps) per horizon; the
 * inverse-variance combination of the calibrated alphas; then per-date style
 * neutralisation of each of the three columns and clipping.
 *
 * This one function serves both the training run and a model set loaded back
 * from disk, so "loading reproduces predictions exactly" holds by
 * construction as long as the models themselves round-trip.
 * Cost: O(rows × features) per base model plus O(rows × 4²) to neutralise.
 */
import { dateOffsets, type FeatureFrame } from '@alphafeed/core';
import {
  clipAlphas,
  combineAlphas,
  neutralizeMany,
  type IsotonicCalibrator,
  type RidgeModel,
  type XGBoostModel,
} from '@alphafeed/models';
import { TrainingInputError } from './errors';

/** The fitted models of one horizon. */
export interface HorizonModels {
  readonly horizon: number;
  readonly ridge: RidgeModel | null;
  readonly xgb: XGBoostModel | null;
  /** Meta Ridge on [ridge, xgb] (only the present ones, in that order). */
  readonly meta: RidgeModel;
  readonly calibrator: IsotonicCalibrator;
  /** var_k in bps² (SPEC §6), from the covered OOF rows. */
  readonly variance: number;
}

export interface AlphaModels {
  readonly featureNames: readonly string[];
  readonly horizons: readonly HorizonModels[];
  /** w_k, aligned with `horizons`. */
  readonly weights: Float64Array;
  readonly styleNeutral: boolean;
  readonly alphaClipBps: number;
}

/** Per-horizon intermediate columns (the golden `predictions_detail`). */
export interface HorizonDetail {
  readonly horizon: number;
  readonly ridge: Float64Array | null;
  readonly xgb: Float64Array | null;
  readonly stacked: Float64Array;
  /** Calibrated alpha in bps, before neutralisation and clipping. */
  readonly calibrated: Float64Array;
}

/** One row per feature row, aligned with the frame. */
export interface AlphaPredictions {
  readonly length: number;
  /** Final alpha_k (bps) per horizon, aligned with `AlphaModels.horizons`. */
  readonly alphas: readonly Float64Array[];
  readonly combined: Float64Array;
  readonly detail: readonly HorizonDetail[];
  readonly combinedCalibrated: Float64Array;
  /** Values clipped per column: `alpha_21d`, `alpha_63d`, `alpha_combined`. */
  readonly clipped: Readonly<Record<string, number>>;
}

/**
 * The frame's columns for `names`, checked finite (XGBoost would read NaN as
 * missing and Ridge would spread it: either way a silent wrong alpha).
 * O(rows × features), once per run.
 */
export function modelColumns(frame: FeatureFrame, names: readonly string[]): Float64Array[] {
  return names.map((name) => {
    const j = frame.featureNames.indexOf(name);
    if (j < 0) {
      throw new TrainingInputError(
        'FRAME_MISMATCH',
        `the models use feature "${name}" but the frame has only [${frame.featureNames.join(', ')}].`,
      );
    }
    const col = frame.features[j];
    if (col.length !== frame.length) {
      throw new TrainingInputError(
        'FRAME_MISMATCH',
        `feature column ${name} has ${col.length} rows, the frame ${frame.length}.`,
      );
    }
    for (let i = 0; i < col.length; i++) {
      const v = col[i];
      if (!(v - v === 0)) {
        throw new TrainingInputError(
          'NON_FINITE_FEATURE',
          `feature ${name} is ${v} at row ${i} (${frame.calendar[frame.date[i]]}, ` +
            `${frame.instruments[frame.instrument[i]]}); model features must be finite after the NaN drop (SPEC §2).`,
        );
      }
    }
    return col;
  });
}

export function horizonColumn(k: number): string {
  return `alpha_${k}d`;
}

/** Runs the SPEC §6 chain on every row of `frame`. */
export function predictAlphas(
  models: AlphaModels,
  frame: FeatureFrame,
  columns?: readonly Float64Array[],
): AlphaPredictions {
  const cols = columns ?? modelColumns(frame, models.featureNames);
  const n = frame.length;
  // Rows are read in place from the columns (no packed float64 and float32
  // copies of the whole frame: 1.5 GB at US scale), XGBoost block by block.
  const X = { columns: cols };
  const detail: HorizonDetail[] = models.horizons.map((h) => {
    const ridge = h.ridge !== null ? h.ridge.predictRows(X) : null;
    const xgb = h.xgb !== null ? h.xgb.predictRows(X) : null;
    const stacked = h.meta.predict(metaMatrix([ridge, xgb], n));
    return { horizon: h.horizon, ridge, xgb, stacked, calibrated: h.calibrator.predict(stacked) };
  });
  const calibrated = detail.map((d) => d.calibrated);
  const combinedCalibrated = combineAlphas(calibrated, models.weights);

  let columnsOut = [...calibrated, combinedCalibrated];
  if (models.styleNeutral) {
    const offsets = dateOffsets(frame.date, frame.calendar.length);
    columnsOut = neutralizeMany(columnsOut, [frame.beta252, frame.size, frame.momentum], offsets);
  }
  const names = [...models.horizons.map((h) => horizonColumn(h.horizon)), 'alpha_combined'];
  const clipped: Record<string, number> = {};
  const final = columnsOut.map((col, c) => {
    const r = clipAlphas(col, models.alphaClipBps);
    clipped[names[c]] = r.clipped;
    return r.values;
  });
  return {
    length: n,
    alphas: final.slice(0, models.horizons.length),
    combined: final[models.horizons.length],
    detail,
    combinedCalibrated,
    clipped,
  };
}

/** The n × m float64 input of the meta Ridge from the present base predictions. O(n m). */
export function metaMatrix(
  parts: readonly (Float64Array | null)[],
  n: number,
): { values: Float64Array; rows: number; cols: number } {
  const present = parts.filter((p): p is Float64Array => p !== null);
  const m = present.length;
  const values = new Float64Array(n * m);
  for (let c = 0; c < m; c++) {
    const p = present[c];
    if (p.length !== n)
      throw new TrainingInputError(
        'FRAME_MISMATCH',
        `meta input column ${c} has ${p.length} rows, expected ${n}.`,
      );
    for (let i = 0; i < n; i++) values[i * m + c] = p[i];
  }
  return { values, rows: n, cols: m };
}
