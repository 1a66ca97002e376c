/**
 * The two base models behind one shape: fit on some rows of the feature
 * columns, predict on others. Ridge gets float64 (exact normal equations);
 * XGBoost gets float32 (what libxgboost takes without a copy; SPEC §6), rows
 * always in the caller's (date, instrument) order, columns in SPEC order —
 * both matter to XGBoost's row and column sampling.
 *
 * Nothing is packed on the JS side: Ridge reads the rows in place from the
 * float64 columns, XGBoost converts them to float32 straight into native
 * scratch that is freed once its DMatrix exists (fit), or block by block
 * (predict). So a fit on the ~10M rows of a US run adds no 0.5-1 GB JS matrix
 * that would linger until the next garbage collection, i.e. through the
 * boosting rounds, where memory peaks.
 */
import { RidgeModel, XGBoostModel, type RidgeOptions, type XGBoostOptions } from '@alphafeed/models';
import type { BaseModelName } from './training-plan';

export type FittedBase =
  | { readonly kind: 'ridge'; readonly model: RidgeModel }
  | { readonly kind: 'xgboost'; readonly model: XGBoostModel };

export interface BaseModelOptions {
  readonly ridge: RidgeOptions;
  readonly xgboost: XGBoostOptions;
}

/** Fits one base model on `rows` of `columns` (feature rows) with labels `y` aligned to `rows`. */
export function fitBase(
  kind: BaseModelName,
  columns: readonly Float64Array[],
  rows: Int32Array,
  y: Float64Array,
  options: BaseModelOptions,
): FittedBase {
  if (kind === 'ridge') return { kind, model: new RidgeModel(options.ridge).fitRows({ columns, rows }, y) };
  return { kind, model: new XGBoostModel(options.xgboost).fitRows({ columns, rows }, y) };
}

/** Predictions for `rows` of `columns` (every row when omitted), in return units. */
export function predictBase(
  fitted: FittedBase,
  columns: readonly Float64Array[],
  rows?: Int32Array,
): Float64Array {
  return fitted.model.predictRows({ columns, rows });
}

/** Frees native state (XGBoost boosters); harmless on Ridge and when called twice. */
export function disposeBase(fitted: FittedBase): void {
  if (fitted.kind === 'xgboost') fitted.model.dispose();
}
