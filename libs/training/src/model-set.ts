/**
 * A saved model set read back from `models/model2_{region}/`: the manifest
 * plus every model document it names. Predictions go through the same
 * `predictAlphas` the training run used, so a loaded set reproduces the
 * run's predictions exactly (Ridge, meta and isotonic are plain JSON
 * numbers, which round-trip exactly; XGBoost reloads its own JSON document).
 *
 * The set owns native XGBoost boosters: `dispose()` frees them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureFrame } from '@alphafeed/core';
import {
  IsotonicCalibrator,
  RidgeModel,
  XGBoostModel,
  type IsotonicJSON,
  type RidgeJSON,
  type XGBoostJSON,
} from '@alphafeed/models';
import { predictAlphas, type AlphaModels, type AlphaPredictions, type HorizonModels } from './alpha-pipeline';
import { ArtifactError } from './errors';
import { MANIFEST_SCHEMA_VERSION, type Manifest } from './manifest';
import { horizonName } from './training-plan';

export interface ModelSet {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly models: AlphaModels;
  dispose(): void;
}

export interface LoadModelSetOptions {
  /** XGBoost threads for prediction (not part of the saved model); default 1. */
  readonly nthread?: number;
}

function readJson<T>(path: string): T {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch (err) {
    throw new ArtifactError(`cannot read model set file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads `dir/manifest.json` and the model files it lists. */
export function loadModelSet(dir: string, options: LoadModelSetOptions = {}): ModelSet {
  const manifest = readJson<Manifest>(join(dir, 'manifest.json'));
  if (manifest?.model !== 'model2' || manifest.schema_version !== MANIFEST_SCHEMA_VERSION) {
    throw new ArtifactError(
      `${join(dir, 'manifest.json')} is not a model2 manifest of schema version ${MANIFEST_SCHEMA_VERSION} ` +
        `(model ${String(manifest?.model)}, version ${String(manifest?.schema_version)}); retrain with this version.`,
    );
  }
  const loaded: XGBoostModel[] = [];
  try {
    const horizons: HorizonModels[] = Object.values(manifest.horizons)
      .sort((a, b) => a.horizon - b.horizon)
      .map((h) => {
        const f = h.files;
        let xgb: XGBoostModel | null = null;
        if (f.xgb !== undefined) {
          const doc = readJson<XGBoostJSON>(join(dir, f.xgb));
          xgb = XGBoostModel.fromJSON({ ...doc, params: { ...doc.params, nthread: options.nthread ?? 1 } });
          loaded.push(xgb);
        }
        return {
          horizon: h.horizon,
          ridge: f.ridge === undefined ? null : RidgeModel.fromJSON(readJson<RidgeJSON>(join(dir, f.ridge))),
          xgb,
          meta: RidgeModel.fromJSON(readJson<RidgeJSON>(join(dir, f.meta))),
          calibrator: IsotonicCalibrator.fromJSON(readJson<IsotonicJSON>(join(dir, f.calibrator))),
          variance: h.var_bps2,
        };
      });
    const weights = Float64Array.from(horizons, (h) => manifest.combination_weights[horizonName(h.horizon)]);
    const models: AlphaModels = {
      featureNames: manifest.features,
      horizons,
      weights,
      styleNeutral: manifest.style_neutral,
      alphaClipBps: manifest.alpha_clip_bps,
    };
    return { dir, manifest, models, dispose: () => loaded.forEach((m) => m.dispose()) };
  } catch (err) {
    loaded.forEach((m) => m.dispose());
    throw err;
  }
}

/** Alphas for every row of `features` (SPEC §6 chain, as in training). */
export function predictWithModelSet(set: ModelSet, features: FeatureFrame): AlphaPredictions {
  return predictAlphas(set.models, features);
}
