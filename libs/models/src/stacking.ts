/**
 * Stacking (SPEC §6): a meta Ridge (alpha 3, unpenalised intercept) per
 * horizon on the OOF pair [ridge_oof, xgb_oof], fitted on labels in return
 * units; its prediction is the stacked score that the isotonic calibrator maps
 * to bps.
 */
import { InputError, type DenseMatrix } from '@alphafeed/core';
import { RidgeModel, type RidgeOptions } from './ridge.model';

/** The n × 2 float64 matrix [ridge, xgb], row-major. O(n). */
export function stackPair(ridge: Float64Array, xgb: Float64Array): DenseMatrix {
  if (ridge.length !== xgb.length) {
    throw new InputError(`stacking needs one xgb per ridge prediction: ${ridge.length} vs ${xgb.length}`);
  }
  const values = new Float64Array(ridge.length * 2);
  for (let i = 0; i < ridge.length; i++) {
    values[2 * i] = ridge[i];
    values[2 * i + 1] = xgb[i];
  }
  return { values, rows: ridge.length, cols: 2 };
}

/** Fits the meta Ridge on the covered OOF rows; coef[0] is the Ridge weight, coef[1] the XGBoost one. */
export function fitStacker(
  ridgeOof: Float64Array,
  xgbOof: Float64Array,
  label: Float64Array,
  options: RidgeOptions = {},
): RidgeModel {
  return new RidgeModel(options).fit(stackPair(ridgeOof, xgbOof), label);
}

/** The stacked score of each row from the base models' predictions. */
export function stackedScore(meta: RidgeModel, ridge: Float64Array, xgb: Float64Array): Float64Array {
  return meta.predict(stackPair(ridge, xgb));
}
