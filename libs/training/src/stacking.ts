/**
 * The OOF half of SPEC §6 for one horizon: the meta Ridge on the OOF pair
 * [ridge_oof, xgb_oof] over the covered rows (walk-forward leaves the first
 * block uncovered), isotonic calibration of the stacked OOF score onto the
 * realised label in bps, and `var_k` (ddof 1) of the label minus the
 * calibrated OOF alpha on the same rows. O(covered rows · log) for the sort
 * inside the isotonic fit.
 */
import { IsotonicCalibrator, RidgeModel, residualVariance, type RidgeOptions } from '@alphafeed/models';
import { TrainingInputError } from './errors';
import { metaMatrix } from './alpha-pipeline';
import { gather } from './gather';

export interface StackedOof {
  /** Sample indices covered by every base model's OOF, ascending. */
  readonly covered: Int32Array;
  readonly meta: RidgeModel;
  readonly calibrator: IsotonicCalibrator;
  /** Stacked OOF score and calibrated OOF alpha (bps) on the covered rows. */
  readonly stacked: Float64Array;
  readonly alpha: Float64Array;
  readonly labelBps: Float64Array;
  readonly variance: number;
}

/** `oof` in base-model order (ridge, then xgb: the meta's column order). */
export function stackAndCalibrate(
  oof: readonly Float64Array[],
  label: Float64Array,
  meta: RidgeOptions,
  horizonLabel: string,
): StackedOof {
  const n = label.length;
  // Plain loops over typed arrays: a per-row closure or TypedArray.from with
  // a map function costs seconds on the ~10 M samples of a US-scale run.
  const isCovered = new Uint8Array(n).fill(1);
  for (const p of oof) for (let i = 0; i < n; i++) if (p[i] !== p[i]) isCovered[i] = 0;
  let m = 0;
  for (let i = 0; i < n; i++) m += isCovered[i];
  if (m < 2) {
    throw new TrainingInputError(
      'NO_MATURED_LABELS',
      `horizon ${horizonLabel}: only ${m} OOF-covered samples; stacking and var_k need at least 2.`,
    );
  }
  const covered = new Int32Array(m);
  for (let i = 0, r = 0; i < n; i++) if (isCovered[i] === 1) covered[r++] = i;
  const parts = oof.map((p) => gather(p, covered));
  const y = gather(label, covered);
  const labelBps = new Float64Array(m);
  for (let i = 0; i < m; i++) labelBps[i] = y[i] * 1e4;
  const X = metaMatrix(parts, m);
  const metaModel = new RidgeModel(meta).fit(X, y);
  const stacked = metaModel.predict(X);
  const calibrator = new IsotonicCalibrator().fit(stacked, labelBps);
  const alpha = calibrator.predict(stacked);
  return {
    covered,
    meta: metaModel,
    calibrator,
    stacked,
    alpha,
    labelBps,
    variance: residualVariance(labelBps, alpha),
  };
}
