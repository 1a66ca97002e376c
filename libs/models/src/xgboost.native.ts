/**
 * koffi bindings to the libxgboost C API (1.7.x). The only module that touches
 * native memory: every call goes through `check`, which turns a non-zero
 * return code into an `XGBoostError` carrying XGBGetLastError()'s text, and
 * every pointer the library hands out is copied into JS memory before the next
 * XGBoost call (the C API reuses its thread-local output buffers).
 *
 * Handles are opaque; whoever creates one frees it (XGDMatrixFree /
 * XGBoosterFree) — this module does not track them.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { XGBoostError } from './errors';

/** Opaque native handles (koffi pointer values); never inspect them. */
export type DMatrixHandle = { readonly __brand: 'DMatrixHandle' };
export type BoosterHandle = { readonly __brand: 'BoosterHandle' };

/**
 * Where to find the library: `ALPHAFEED_LIBXGBOOST` if set, else the Debian
 * soname (libxgboost0 ships `libxgboost.so.0`, 1.7.4 on bookworm).
 */
const CANDIDATES = ['libxgboost.so.0', '/usr/lib/x86_64-linux-gnu/libxgboost.so.0', 'libxgboost.so'];

interface Bindings {
  XGBoostVersion: (major: number[], minor: number[], patch: number[]) => void;
  XGBGetLastError: () => string;
  XGBSetGlobalConfig: (config: string) => number;
  XGDMatrixCreateFromMat: (
    /** A Float32Array or a koffi pointer (native scratch). */
    data: unknown,
    nrow: number,
    ncol: number,
    missing: number,
    out: unknown[],
  ) => number;
  XGDMatrixSetFloatInfo: (h: DMatrixHandle, field: string, data: Float32Array, len: number) => number;
  XGDMatrixFree: (h: DMatrixHandle) => number;
  XGBoosterCreate: (dmats: DMatrixHandle[], len: number, out: unknown[]) => number;
  XGBoosterFree: (h: BoosterHandle) => number;
  XGBoosterSetParam: (h: BoosterHandle, name: string, value: string) => number;
  XGBoosterUpdateOneIter: (h: BoosterHandle, iter: number, dtrain: DMatrixHandle) => number;
  XGBoosterBoostedRounds: (h: BoosterHandle, out: number[]) => number;
  XGBoosterGetNumFeature: (h: BoosterHandle, out: number[]) => number;
  XGBoosterPredictFromDMatrix: (
    h: BoosterHandle,
    d: DMatrixHandle,
    config: string,
    shape: unknown[],
    dim: number[],
    result: unknown[],
  ) => number;
  XGBoosterSaveModelToBuffer: (h: BoosterHandle, config: string, len: number[], out: unknown[]) => number;
  XGBoosterLoadModelFromBuffer: (h: BoosterHandle, buf: Buffer, len: number) => number;
  XGBoosterFeatureScore: (
    h: BoosterHandle,
    config: string,
    nFeatures: number[],
    features: unknown[],
    dim: number[],
    shape: unknown[],
    scores: unknown[],
  ) => number;
}

let bindings: Bindings | null = null;

/** Loads libxgboost once per process and silences its logging (verbosity 0). */
function lib(): Bindings {
  if (bindings !== null) return bindings;
  const paths = process.env.ALPHAFEED_LIBXGBOOST ? [process.env.ALPHAFEED_LIBXGBOOST] : CANDIDATES;
  let loaded: LibraryHandle | null = null;
  const failures: string[] = [];
  for (const path of paths) {
    try {
      loaded = koffi.load(path);
      break;
    } catch (err) {
      failures.push(`${path}: ${(err as Error).message}`);
    }
  }
  if (loaded === null) {
    throw new XGBoostError(
      'load',
      `libxgboost not found (${failures.join('; ')}); install Debian's libxgboost0 or set ALPHAFEED_LIBXGBOOST`,
    );
  }
  const l = loaded;
  // Handles are declared `void *` rather than as named koffi types: koffi's type
  // registry is process-wide and outlives module re-evaluation (Jest loads this
  // module once per spec file), where a second registration of a name throws.
  const b: Bindings = {
    XGBoostVersion: l.func('void XGBoostVersion(_Out_ int *major, _Out_ int *minor, _Out_ int *patch)'),
    XGBGetLastError: l.func('const char *XGBGetLastError()'),
    XGBSetGlobalConfig: l.func('int XGBSetGlobalConfig(const char *config)'),
    XGDMatrixCreateFromMat: l.func(
      'int XGDMatrixCreateFromMat(const float *data, uint64_t nrow, uint64_t ncol, float missing, _Out_ void **out)',
    ),
    XGDMatrixSetFloatInfo: l.func(
      'int XGDMatrixSetFloatInfo(void *h, const char *field, const float *data, uint64_t len)',
    ),
    XGDMatrixFree: l.func('int XGDMatrixFree(void *h)'),
    XGBoosterCreate: l.func('int XGBoosterCreate(void **dmats, uint64_t len, _Out_ void **out)'),
    XGBoosterFree: l.func('int XGBoosterFree(void *h)'),
    XGBoosterSetParam: l.func('int XGBoosterSetParam(void *h, const char *name, const char *value)'),
    XGBoosterUpdateOneIter: l.func('int XGBoosterUpdateOneIter(void *h, int iter, void *dtrain)'),
    XGBoosterBoostedRounds: l.func('int XGBoosterBoostedRounds(void *h, _Out_ int *out)'),
    XGBoosterGetNumFeature: l.func('int XGBoosterGetNumFeature(void *h, _Out_ uint64_t *out)'),
    XGBoosterPredictFromDMatrix: l.func(
      'int XGBoosterPredictFromDMatrix(void *h, void *d, const char *config, ' +
        '_Out_ void **shape, _Out_ uint64_t *dim, _Out_ void **result)',
    ),
    XGBoosterSaveModelToBuffer: l.func(
      'int XGBoosterSaveModelToBuffer(void *h, const char *config, _Out_ uint64_t *len, _Out_ void **out)',
    ),
    XGBoosterLoadModelFromBuffer: l.func(
      'int XGBoosterLoadModelFromBuffer(void *h, const void *buf, uint64_t len)',
    ),
    XGBoosterFeatureScore: l.func(
      'int XGBoosterFeatureScore(void *h, const char *config, _Out_ uint64_t *n, _Out_ void **features, ' +
        '_Out_ uint64_t *dim, _Out_ void **shape, _Out_ void **scores)',
    ),
  };
  bindings = b;
  // Global config is per thread in libxgboost; every call of ours runs on the JS thread.
  check('XGBSetGlobalConfig', b.XGBSetGlobalConfig('{"verbosity":0}'));
  return b;
}

function check(call: string, rc: number): void {
  if (rc !== 0) {
    const message = bindings !== null ? bindings.XGBGetLastError() : 'unknown error';
    throw new XGBoostError(call, message);
  }
}

export function xgboostVersion(): string {
  const major = [0];
  const minor = [0];
  const patch = [0];
  lib().XGBoostVersion(major, minor, patch);
  return `${major[0]}.${minor[0]}.${patch[0]}`;
}

/**
 * A DMatrix over a row-major float32 matrix (NaN = missing). The Float32Array
 * is handed to the library as a pointer without a JS copy; XGBoost copies it
 * into its own storage, so the array may be reused afterwards.
 */
export function createDMatrix(data: Float32Array, rows: number, cols: number): DMatrixHandle {
  const out: unknown[] = [null];
  check('XGDMatrixCreateFromMat', lib().XGDMatrixCreateFromMat(data, rows, cols, NaN, out));
  return out[0] as DMatrixHandle;
}

/**
 * A DMatrix over `rows × cols` float32 values that `fill` writes into native
 * scratch memory; the scratch is freed as soon as XGBoost has copied it, so a
 * training matrix of millions of rows does not stay alive (as a JS buffer
 * awaiting garbage collection) next to XGBoost's own copy for the whole fit.
 * `fill` must not keep the array it is given: it views freed memory after
 * this returns.
 */
export function createDMatrixFilled(
  rows: number,
  cols: number,
  fill: (values: Float32Array) => void,
): DMatrixHandle {
  const b = lib();
  const count = rows * cols;
  const scratch: unknown = koffi.alloc('float', Math.max(count, 1));
  try {
    fill(new Float32Array(koffi.view(scratch, count * 4)));
    const out: unknown[] = [null];
    check('XGDMatrixCreateFromMat', b.XGDMatrixCreateFromMat(scratch, rows, cols, NaN, out));
    return out[0] as DMatrixHandle;
  } finally {
    koffi.free(scratch);
  }
}

export function setFloatInfo(
  h: DMatrixHandle,
  field: 'label' | 'weight' | 'base_margin',
  data: Float32Array,
): void {
  check('XGDMatrixSetFloatInfo', lib().XGDMatrixSetFloatInfo(h, field, data, data.length));
}

export function freeDMatrix(h: DMatrixHandle): void {
  check('XGDMatrixFree', lib().XGDMatrixFree(h));
}

/** A booster with `cache` as its training cache (may be empty, e.g. before loading a model). */
export function createBooster(cache: DMatrixHandle[]): BoosterHandle {
  const out: unknown[] = [null];
  check('XGBoosterCreate', lib().XGBoosterCreate(cache, cache.length, out));
  return out[0] as BoosterHandle;
}

export function freeBooster(h: BoosterHandle): void {
  check('XGBoosterFree', lib().XGBoosterFree(h));
}

export function setParam(h: BoosterHandle, name: string, value: string): void {
  check(`XGBoosterSetParam(${name}=${value})`, lib().XGBoosterSetParam(h, name, value));
}

export function updateOneIter(h: BoosterHandle, iter: number, dtrain: DMatrixHandle): void {
  check('XGBoosterUpdateOneIter', lib().XGBoosterUpdateOneIter(h, iter, dtrain));
}

export function boostedRounds(h: BoosterHandle): number {
  const out = [0];
  check('XGBoosterBoostedRounds', lib().XGBoosterBoostedRounds(h, out));
  return out[0];
}

export function numFeatures(h: BoosterHandle): number {
  const out = [0];
  check('XGBoosterGetNumFeature', lib().XGBoosterGetNumFeature(h, out));
  return Number(out[0]);
}

/** Normal (transformed) prediction with all trees; the result is copied out of XGBoost's buffer. */
export function predict(h: BoosterHandle, d: DMatrixHandle): Float32Array {
  const shape: unknown[] = [null];
  const dim = [0];
  const result: unknown[] = [null];
  const config = '{"type":0,"training":false,"iteration_begin":0,"iteration_end":0,"strict_shape":false}';
  check('XGBoosterPredictFromDMatrix', lib().XGBoosterPredictFromDMatrix(h, d, config, shape, dim, result));
  const dims = koffi.decode(shape[0], 'uint64_t', Number(dim[0])) as ArrayLike<bigint | number>;
  let n = 1;
  for (let i = 0; i < dims.length; i++) n *= Number(dims[i]);
  return Float32Array.from(koffi.decode(result[0], 'float', n) as ArrayLike<number>);
}

/** The model (trees + learner parameters) as XGBoost's JSON document. */
export function saveModelJSON(h: BoosterHandle): string {
  const len = [0];
  const out: unknown[] = [null];
  check('XGBoosterSaveModelToBuffer', lib().XGBoosterSaveModelToBuffer(h, '{"format":"json"}', len, out));
  return Buffer.from(koffi.view(out[0], Number(len[0]))).toString('utf8');
}

export function loadModelJSON(h: BoosterHandle, json: string): void {
  const buf = Buffer.from(json, 'utf8');
  check('XGBoosterLoadModelFromBuffer', lib().XGBoosterLoadModelFromBuffer(h, buf, buf.length));
}

export type ImportanceType = 'weight' | 'gain' | 'cover' | 'total_gain' | 'total_cover';

/**
 * Feature scores of a tree model, as XGBoost's get_score: only features used
 * in at least one split are listed (names `f0`, `f1`, … unless the booster
 * carries names).
 */
export function featureScore(
  h: BoosterHandle,
  type: ImportanceType,
): { names: string[]; scores: Float32Array } {
  const n = [0];
  const features: unknown[] = [null];
  const dim = [0];
  const shape: unknown[] = [null];
  const scores: unknown[] = [null];
  const config = JSON.stringify({ importance_type: type });
  check('XGBoosterFeatureScore', lib().XGBoosterFeatureScore(h, config, n, features, dim, shape, scores));
  const count = Number(n[0]);
  if (count === 0) return { names: [], scores: new Float32Array(0) };
  const names = koffi.decode(features[0], 'const char *', count) as string[];
  const values = Float32Array.from(koffi.decode(scores[0], 'float', count) as ArrayLike<number>);
  return { names: Array.from(names), scores: values };
}
