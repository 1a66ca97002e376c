/**
 * The two base models behind one shape: fit on some rows of the feature
 * columns, predict on others. Ridge gets float64 (exact normal equations);
 * XGBoost gets float32 (what libxgboost takes without a copy; SPEC §6), rows
 * always in the caller's (date, instrument) order, columns in SPEC order —
 * both matter to XGBoost's row and column sampling.
 *
 * A matrix is packed per call: O(rows × cols) time and memory, freed when the
 * call returns, so no run holds more than one fold's train matrix per type.
 */
import {
  denseFromColumns,
  RidgeModel,
  XGBoostModel,
  type RidgeOptions,
  type XGBoostOptions,
} from '@alphafeed/models';
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
  if (kind === 'ridge') {
    const X = denseFromColumns(columns, { rows, type: 'float64' });
    return { kind, model: new RidgeModel(options.ridge).fit(X, y) };
  }
  const X = denseFromColumns(columns, { rows, type: 'float32' });
  return { kind, model: new XGBoostModel(options.xgboost).fit(X, y) };
}

/** Predictions for `rows` of `columns` (every row when omitted), in return units. */
export function predictBase(
  fitted: FittedBase,
  columns: readonly Float64Array[],
  rows?: Int32Array,
): Float64Array {
  if (fitted.kind === 'ridge') {
    return fitted.model.predict(denseFromColumns(columns, { rows, type: 'float64' }));
  }
  return fitted.model.predict(denseFromColumns(columns, { rows, type: 'float32' }));
}

/** Frees native state (XGBoost boosters); harmless on Ridge and when called twice. */
export function disposeBase(fitted: FittedBase): void {
  if (fitted.kind === 'xgboost') fitted.model.dispose();
}
