/**
 * Writes a training run's artifacts all-or-nothing: every file goes into
 * fresh temporary directories next to the targets, and only when all of
 * them are written are the directories renamed into place (the old ones are
 * moved aside first and removed last; a failed second rename restores the
 * first). A reader therefore sees the old model set or the new one, never a
 * mix, and a failure leaves no half-written directory behind.
 *
 *   models/model2_{region}/{ridge|xgb|meta|calibrator}_{k}d.json, manifest.json
 *   data/model2/{region}/predictions.parquet, oof_{ridge|xgb}_{k}d.parquet,
 *     cv_scores.jsonl, feature_importance_{k}d.parquet, splits.json
 *
 * Cost: the Parquet encoding of the predictions (O(rows)) dominates.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { writeParquet } from '@alphafeed/data';
import { cvScoresJsonl, importanceTable, oofTable, predictionsTable } from './artifact-tables';
import { ArtifactError } from './errors';
import { buildManifest, type Manifest } from './manifest';
import { horizonName } from './training-plan';
import type { TrainResult } from './train-model2';

export interface ArtifactDirs {
  /** Root of model sets (config `output.models_dir`, e.g. `models/`). */
  readonly modelsDir: string;
  /** Root of data outputs (config `output.data_dir`, e.g. `data/`). */
  readonly dataDir: string;
  /** Commit of the code that trained (the CLI passes `git rev-parse`); default `unknown`. */
  readonly gitSha?: string;
  /** Extra stage timings to record (load, features, labels …), ms. */
  readonly runtime?: Readonly<Record<string, number>>;
}

export interface WrittenArtifacts {
  readonly modelDir: string;
  readonly dataDir: string;
  readonly manifest: Manifest;
}

export function modelSetDir(modelsDir: string, region: string): string {
  return join(modelsDir, `model2_${region}`);
}

export function modelDataDir(dataDir: string, region: string): string {
  return join(dataDir, 'model2', region);
}

export async function writeArtifacts(result: TrainResult, dirs: ArtifactDirs): Promise<WrittenArtifacts> {
  const t0 = Date.now();
  const modelDir = modelSetDir(dirs.modelsDir, result.region);
  const dataDir = modelDataDir(dirs.dataDir, result.region);
  const stamp = `${process.pid}-${Date.now()}`;
  const tmpModel = join(dirname(modelDir), `.${basename(modelDir)}.tmp-${stamp}`);
  const tmpData = join(dirname(dataDir), `.${basename(dataDir)}.tmp-${stamp}`);
  try {
    mkdirSync(tmpModel, { recursive: true });
    mkdirSync(tmpData, { recursive: true });
    writeModelFiles(result, tmpModel);
    await writeDataFiles(result, tmpData);
    const manifest = buildManifest(result, dirs.gitSha ?? 'unknown', {
      ...dirs.runtime,
      write: Date.now() - t0,
    });
    writeFileSync(join(tmpModel, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
    swapIntoPlace([
      [tmpModel, modelDir],
      [tmpData, dataDir],
    ]);
    return { modelDir, dataDir, manifest };
  } catch (err) {
    removeQuietly(tmpModel);
    removeQuietly(tmpData);
    if (err instanceof ArtifactError) throw err;
    throw new ArtifactError(
      `could not write the model2 artifacts of ${result.region} to ${modelDir} and ${dataDir}: ${(err as Error).message}; ` +
        `nothing was replaced.`,
      { cause: err },
    );
  }
}

function writeModelFiles(r: TrainResult, dir: string): void {
  for (const m of r.models.horizons) {
    const h = horizonName(m.horizon);
    if (m.ridge !== null) writeJson(join(dir, `ridge_${h}.json`), m.ridge.toJSON());
    if (m.xgb !== null) writeJson(join(dir, `xgb_${h}.json`), m.xgb.toJSON());
    writeJson(join(dir, `meta_${h}.json`), m.meta.toJSON());
    writeJson(join(dir, `calibrator_${h}.json`), m.calibrator.toJSON());
  }
}

async function writeDataFiles(r: TrainResult, dir: string): Promise<void> {
  await writeParquet(join(dir, 'predictions.parquet'), predictionsTable(r));
  for (const hr of r.horizons) {
    for (const model of ['ridge', 'xgb'] as const) {
      if (hr.oof[model] !== undefined)
        await writeParquet(join(dir, `oof_${model}_${hr.name}.parquet`), oofTable(r, hr.horizon, model));
    }
    if (hr.importance !== null)
      await writeParquet(join(dir, `feature_importance_${hr.name}.parquet`), importanceTable(r, hr.horizon));
  }
  writeFileSync(join(dir, 'cv_scores.jsonl'), cvScoresJsonl(r.scores));
  const cv = r.plan.cv;
  const splits = {
    method: cv.method,
    embargo_days: cv.embargoDays,
    ...(cv.method === 'cpcv'
      ? { n_groups: cv.nGroups, n_test_groups: cv.nTestGroups }
      : { n_splits: cv.nSplits }),
    horizons: Object.fromEntries(r.horizons.map((h) => [h.name, h.splitsReport])),
  };
  writeJson(join(dir, 'splits.json'), splits);
}

function writeJson(path: string, doc: unknown): void {
  writeFileSync(path, JSON.stringify(doc) + '\n');
}

/**
 * Renames each temporary directory over its target. An existing target is
 * first moved aside; after every rename succeeded the old ones are removed,
 * and on a failure the already-swapped targets are put back.
 */
function swapIntoPlace(pairs: readonly [string, string][]): void {
  const done: { target: string; old: string | null }[] = [];
  try {
    for (const [tmp, target] of pairs) {
      mkdirSync(dirname(target), { recursive: true });
      let old: string | null = null;
      if (existsSync(target)) {
        old = `${tmp}.old`;
        renameSync(target, old);
      }
      done.push({ target, old });
      renameSync(tmp, target);
    }
  } catch (err) {
    for (const { target, old } of done.reverse()) {
      if (old !== null && existsSync(old)) {
        rmSync(target, { recursive: true, force: true });
        renameSync(old, target);
      }
    }
    throw err;
  }
  for (const { old } of done) if (old !== null) rmSync(old, { recursive: true, force: true });
}

/** Best-effort cleanup on the failure path: the original error is the one to report. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // The path could not be created in the first place (e.g. its parent is a file).
  }
}
