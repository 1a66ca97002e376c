/**
 * Gradient-boosted trees through libxgboost's C API (SPEC §6). Training and
 * prediction run in the native library on float32 data; this class owns one
 * native booster handle per fitted model.
 *
 * Memory: a fitted model holds a native booster (the trees, roughly
 * n_estimators × 2^max_depth nodes). Call `dispose()` when done; a
 * FinalizationRegistry frees forgotten boosters at garbage collection as a
 * safety net, but GC timing is not a resource policy. DMatrix handles never
 * outlive the call that created them.
 */
import { InputError, DEFAULT_SEED, type DenseMatrix } from '@alphafeed/core';
import { toFloat32, type ColumnRows } from './dense';
import type { Estimator } from './estimator';
import { NotFittedError } from './errors';
import { checkColumnRows, checkFitInput, checkMatrix, checkVector } from './validate';
import * as native from './xgboost.native';

export interface XGBoostOptions {
  /** Boosting rounds. Default 400. */
  readonly nEstimators?: number;
  /** Default 6. */
  readonly maxDepth?: number;
  /** Learning rate. Default 0.05. */
  readonly eta?: number;
  /** Row subsample per tree. Default 0.8. */
  readonly subsample?: number;
  /** Column subsample per tree. Default 0.8. */
  readonly colsampleBytree?: number;
  /** Seed of XGBoost's own generator (row/column sampling). Default 42. */
  readonly seed?: number;
  /** Default 'hist'. */
  readonly treeMethod?: 'hist' | 'approx' | 'exact';
  /** Default 'reg:squarederror'. */
  readonly objective?: 'reg:squarederror' | 'reg:absoluteerror' | 'reg:pseudohubererror';
  /** Initial prediction; pinned to 0.5 (libxgboost >= 2 would estimate it). */
  readonly baseScore?: number;
  /** Default 256 (1.7.4's default). */
  readonly maxBin?: number;
  /** L2 penalty on leaf weights. Default 1. */
  readonly lambda?: number;
  /** Default 1. */
  readonly minChildWeight?: number;
  /** OpenMP threads; 0 = all cores (XGBoost's meaning). Default 1. Results do not depend on it beyond 1e-6. */
  readonly nthread?: number;
}

export type XGBoostParams = Required<XGBoostOptions>;

export const XGBOOST_DEFAULTS: XGBoostParams = {
  nEstimators: 400,
  maxDepth: 6,
  eta: 0.05,
  subsample: 0.8,
  colsampleBytree: 0.8,
  seed: DEFAULT_SEED,
  treeMethod: 'hist',
  objective: 'reg:squarederror',
  baseScore: 0.5,
  maxBin: 256,
  lambda: 1,
  minChildWeight: 1,
  nthread: 1,
};

export interface XGBoostJSON {
  readonly kind: 'xgboost';
  readonly version: 1;
  readonly params: XGBoostParams;
  readonly nFeatures: number;
  /** XGBoost's own JSON model document (XGBoosterSaveModelToBuffer, format json), verbatim. */
  readonly booster: string;
}

export type { ImportanceType } from './xgboost.native';

/**
 * The fixed mapping from typed options to XGBoost parameter names; the only
 * strings that reach XGBoosterSetParam. Numbers are written with JS's
 * shortest round-trip formatting, which XGBoost parses back exactly.
 */
function nativeParams(p: XGBoostParams): Array<[string, string]> {
  return [
    ['validate_parameters', '1'],
    ['verbosity', '0'],
    ['objective', p.objective],
    ['tree_method', p.treeMethod],
    ['max_depth', String(p.maxDepth)],
    ['eta', String(p.eta)],
    ['subsample', String(p.subsample)],
    ['colsample_bytree', String(p.colsampleBytree)],
    ['seed', String(p.seed)],
    ['base_score', String(p.baseScore)],
    ['max_bin', String(p.maxBin)],
    ['lambda', String(p.lambda)],
    ['min_child_weight', String(p.minChildWeight)],
    ['nthread', String(p.nthread)],
  ];
}

/** Frees boosters whose model object was collected without `dispose()`. */
const boosters = new FinalizationRegistry<native.BoosterHandle>((handle) => {
  try {
    native.freeBooster(handle);
  } catch {
    // Nothing useful can be done with a failure inside a finalizer.
  }
});

interface Fitted {
  booster: native.BoosterHandle;
  nFeatures: number;
  token: object;
}

export class XGBoostModel implements Estimator<DenseMatrix, XGBoostParams> {
  private readonly options: XGBoostParams;
  private fitted: Fitted | null = null;

  constructor(options: XGBoostOptions = {}) {
    this.options = { ...XGBOOST_DEFAULTS, ...stripUndefined(options) };
  }

  params(): XGBoostParams {
    return { ...this.options };
  }

  /**
   * Trains `nEstimators` rounds on X (converted to float32 once if it is
   * float64; rows in the caller's order — it matters to row subsampling).
   * Cost: O(rounds × rows × cols) histogram work in native threads.
   */
  fit(X: DenseMatrix, y: Float64Array): this {
    this.checkOptions();
    checkFitInput(X, y, 1);
    this.dispose();
    const X32 = toFloat32(X);
    return this.train(native.createDMatrix(X32.values, X32.rows, X32.cols), X.cols, y);
  }

  /**
   * `fit` on rows read in place from columns: the rows are converted to
   * float32 straight into native scratch memory that is freed once XGBoost
   * has its DMatrix, i.e. before the boosting rounds start. The DMatrix holds
   * the same float32 values in the same row order as with `fit` on the packed
   * matrix, so the trees are identical.
   */
  fitRows(src: ColumnRows, y: Float64Array): this {
    this.checkOptions();
    const n = checkColumnRows(src);
    if (n < 1) throw new InputError(`X has ${n} rows; fitting needs at least 1`);
    checkVector(y, n, 'y');
    this.dispose();
    const cols = src.columns.length;
    const dtrain = native.createDMatrixFilled(n, cols, (values) => packFloat32(src, 0, n, values));
    return this.train(dtrain, cols, y);
  }

  /** Predictions for every row (float32 from XGBoost, widened to float64). */
  predict(X: DenseMatrix): Float64Array {
    const f = this.state();
    checkMatrix(X);
    if (X.cols !== f.nFeatures) {
      throw new InputError(`X has ${X.cols} columns but the XGBoost model was fitted on ${f.nFeatures}`);
    }
    if (X.rows === 0) return new Float64Array(0);
    const X32 = toFloat32(X);
    const out = new Float64Array(X.rows);
    predictInto(f.booster, native.createDMatrix(X32.values, X32.rows, X32.cols), out, 0, X.rows);
    return out;
  }

  /**
   * `predict` on rows read in place from columns, in blocks of
   * `PREDICT_BLOCK_ROWS` through one reused float32 buffer, so neither a
   * packed copy of all rows nor a DMatrix of all rows ever exists. XGBoost
   * predicts each row on its own (tree outputs summed in tree order), so the
   * blocks give exactly what one call on all rows gives.
   */
  predictRows(src: ColumnRows): Float64Array {
    const f = this.state();
    const n = checkColumnRows(src);
    const cols = src.columns.length;
    if (cols !== f.nFeatures) {
      throw new InputError(`X has ${cols} columns but the XGBoost model was fitted on ${f.nFeatures}`);
    }
    const out = new Float64Array(n);
    const block = new Float32Array(Math.min(n, PREDICT_BLOCK_ROWS) * cols);
    for (let start = 0; start < n; start += PREDICT_BLOCK_ROWS) {
      const m = Math.min(PREDICT_BLOCK_ROWS, n - start);
      packFloat32(src, start, m, block);
      predictInto(f.booster, native.createDMatrix(block, m, cols), out, start, m);
    }
    return out;
  }

  private checkOptions(): void {
    const { nEstimators, nthread } = this.options;
    if (!Number.isInteger(nEstimators) || nEstimators < 1) {
      throw new InputError(`XGBoostOptions.nEstimators must be an integer >= 1, got ${nEstimators}`);
    }
    if (!Number.isInteger(nthread) || nthread < 0) {
      throw new InputError(`XGBoostOptions.nthread must be an integer >= 0 (0 = all cores), got ${nthread}`);
    }
  }

  /** Boosts `nEstimators` rounds on `dtrain` (taken over: freed here, whatever happens). */
  private train(dtrain: native.DMatrixHandle, nFeatures: number, y: Float64Array): this {
    let booster: native.BoosterHandle | null = null;
    try {
      native.setFloatInfo(dtrain, 'label', Float32Array.from(y));
      booster = native.createBooster([dtrain]);
      for (const [name, value] of nativeParams(this.options)) native.setParam(booster, name, value);
      for (let iter = 0; iter < this.options.nEstimators; iter++) native.updateOneIter(booster, iter, dtrain);
      this.adopt(booster, nFeatures);
      booster = null;
    } finally {
      if (booster !== null) native.freeBooster(booster);
      native.freeDMatrix(dtrain);
    }
    return this;
  }

  /**
   * Importance per column (index j = column j), XGBoost's definitions:
   * 'weight' = number of splits on the feature, 'gain' = average gain of
   * those splits, 'total_gain' = their sum. 0 for a feature never split on.
   */
  featureImportance(type: native.ImportanceType): Float64Array {
    const f = this.state();
    const { names, scores } = native.featureScore(f.booster, type);
    const out = new Float64Array(f.nFeatures);
    for (let k = 0; k < names.length; k++) {
      const j = /^f(\d+)$/.exec(names[k]);
      if (j === null || Number(j[1]) >= f.nFeatures) {
        throw new InputError(`unexpected feature name ${names[k]} in XGBoost's importance`);
      }
      out[Number(j[1])] = scores[k];
    }
    return out;
  }

  get nFeatures(): number {
    return this.state().nFeatures;
  }

  get isFitted(): boolean {
    return this.fitted !== null;
  }

  /** Frees the native booster now. The model is unfitted afterwards; calling it twice is harmless. */
  dispose(): void {
    const f = this.fitted;
    if (f === null) return;
    this.fitted = null;
    boosters.unregister(f.token);
    native.freeBooster(f.booster);
  }

  toJSON(): XGBoostJSON {
    const f = this.state();
    return {
      kind: 'xgboost',
      version: 1,
      params: this.params(),
      nFeatures: f.nFeatures,
      booster: native.saveModelJSON(f.booster),
    };
  }

  static fromJSON(doc: XGBoostJSON): XGBoostModel {
    if (doc?.kind !== 'xgboost' || doc.version !== 1 || typeof doc.booster !== 'string') {
      throw new InputError(
        `not an xgboost model document (kind ${String(doc?.kind)}, version ${String(doc?.version)})`,
      );
    }
    const model = new XGBoostModel(doc.params);
    let booster: native.BoosterHandle | null = native.createBooster([]);
    try {
      native.loadModelJSON(booster, doc.booster);
      // Runtime parameters are not part of XGBoost's model document.
      native.setParam(booster, 'verbosity', '0');
      native.setParam(booster, 'nthread', String(model.options.nthread));
      model.adopt(booster, doc.nFeatures);
      booster = null;
    } finally {
      if (booster !== null) native.freeBooster(booster);
    }
    return model;
  }

  private adopt(booster: native.BoosterHandle, nFeatures: number): void {
    const token = {};
    this.fitted = { booster, nFeatures, token };
    boosters.register(this, booster, token);
  }

  private state(): Fitted {
    if (this.fitted === null) throw new NotFittedError('XGBoostModel');
    return this.fitted;
  }
}

/** Rows per prediction block: 128k rows × 13 features is 6.5 MB of float32. */
const PREDICT_BLOCK_ROWS = 1 << 17;

/**
 * Rows `start .. start + m` of `src` into `out` as row-major float32 (the
 * rounding of a Float32Array store, as in `denseFromColumns`). A finite value
 * beyond float32's range is refused, as in `toFloat32`. O(m × cols).
 */
function packFloat32(src: ColumnRows, start: number, m: number, out: Float32Array): void {
  const { columns, rows } = src;
  const p = columns.length;
  for (let i = 0; i < m; i++) {
    const r = rows === undefined ? start + i : rows[start + i];
    const base = i * p;
    for (let j = 0; j < p; j++) {
      out[base + j] = columns[j][r];
      const v = out[base + j];
      if ((v === Infinity || v === -Infinity) && columns[j][r] !== v) {
        throw new InputError(
          `value ${columns[j][r]} at row ${start + i}, column ${j} does not fit in float32`,
        );
      }
    }
  }
}

/** Predicts all rows of `d` into `out[start .. start + m)` and frees `d`. */
function predictInto(
  booster: native.BoosterHandle,
  d: native.DMatrixHandle,
  out: Float64Array,
  start: number,
  m: number,
): void {
  try {
    const pred = native.predict(booster, d);
    if (pred.length !== m) throw new InputError(`XGBoost returned ${pred.length} predictions for ${m} rows`);
    out.set(pred, start);
  } finally {
    native.freeDMatrix(d);
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(o) as Array<keyof T>) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
