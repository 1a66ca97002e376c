/**
 * Writes a point-in-time run: `<dir>/alphas_pit.parquet` (the table,
 * schemas/PitAlphas.schema.json) and `<dir>/alphas_pit.json` (what made it:
 * config_hash, input digest, schedule, and per model its retrain date,
 * scored dates, training window, var_k, weights and H;
 * schemas/PitAlphasManifest.schema.json).
 *
 * All-or-nothing: both files are written to temporary names first; only
 * then is the old manifest moved aside and the two renamed into place (the
 * table first), so a failure while writing leaves the previous pair
 * untouched and no temporary file behind, and a new table never stands
 * beside an old manifest. The Parquet encoding dominates: O(rows).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { horizonName } from '@alphafeed/training';
import { writeAlphaTable } from './alpha-table.parquet';
import { PitArtifactError } from './errors';
import type { PitRun } from './point-in-time-alphas';

export const PIT_MANIFEST_SCHEMA_VERSION = 1;
export const PIT_ALPHAS_FILE = 'alphas_pit.parquet';
export const PIT_MANIFEST_FILE = 'alphas_pit.json';

export interface PitManifest {
  readonly schema_version: number;
  readonly region: string;
  readonly config_hash: string;
  readonly input_digest: string;
  readonly git_sha: string;
  readonly retrain_every: number;
  readonly min_train_dates: number;
  readonly horizons: readonly number[];
  readonly t0: string;
  readonly rows: number;
  readonly first_date: string;
  readonly last_date: string;
  readonly models: readonly PitManifestModel[];
  readonly runtime_ms: Readonly<Record<string, number>>;
}

export interface PitManifestModel {
  readonly model_id: string;
  readonly retrain_date: string;
  readonly first_scored_date: string;
  readonly last_scored_date: string;
  readonly scored_rows: number;
  readonly training_rows: number;
  readonly training_last_date: string;
  /** Per horizon (`21d`): samples fitted and the date on which the last label used matured. */
  readonly labels: Readonly<Record<string, { samples: number; last_matured: string }>>;
  readonly var_bps2: Readonly<Record<string, number>>;
  readonly combination_weights: Readonly<Record<string, number>>;
  readonly horizon_days: number;
  readonly ms: number;
  readonly cached: boolean;
}

export function pitManifest(
  run: PitRun,
  region: string,
  gitSha = 'unknown',
  runtime: Readonly<Record<string, number>> = {},
): PitManifest {
  const t = run.table;
  const cal = t.calendar;
  return {
    schema_version: PIT_MANIFEST_SCHEMA_VERSION,
    region,
    config_hash: run.configHash,
    input_digest: run.inputDigest,
    git_sha: gitSha,
    retrain_every: run.schedule.retrainEvery,
    min_train_dates: run.schedule.minTrainDates,
    horizons: t.horizons,
    t0: cal[run.schedule.t0],
    rows: t.length,
    first_date: cal[t.date[0]],
    last_date: cal[t.date[t.length - 1]],
    models: run.trainings.map((m) => ({
      model_id: m.modelId,
      retrain_date: m.retrainDate,
      first_scored_date: cal[m.scoredFirstPosition],
      last_scored_date: cal[m.scoredLastPosition],
      scored_rows: m.scoredRows,
      training_rows: m.trainingRows,
      training_last_date: cal[m.trainingLastPosition],
      labels: Object.fromEntries(
        m.horizons.map((h) => [
          horizonName(h.horizon),
          { samples: h.samples, last_matured: cal[h.lastMaturityPosition] },
        ]),
      ),
      var_bps2: Object.fromEntries(m.horizons.map((h, i) => [horizonName(h.horizon), m.variances[i]])),
      combination_weights: Object.fromEntries(
        m.horizons.map((h, i) => [horizonName(h.horizon), m.weights[i]]),
      ),
      horizon_days: m.horizonDays,
      ms: m.ms,
      cached: m.cached,
    })),
    runtime_ms: runtime,
  };
}

export interface WrittenPitAlphas {
  readonly path: string;
  readonly manifestPath: string;
  readonly manifest: PitManifest;
}

/** Writes the pair into `dir` (e.g. `data/backtest/us`), replacing an older pair. */
export async function writePitAlphas(
  run: PitRun,
  dir: string,
  meta: { region: string; gitSha?: string; runtime?: Readonly<Record<string, number>> },
): Promise<WrittenPitAlphas> {
  const t0 = Date.now();
  const path = join(dir, PIT_ALPHAS_FILE);
  const manifestPath = join(dir, PIT_MANIFEST_FILE);
  const stamp = `${process.pid}-${Date.now()}`;
  const tmpTable = join(dir, `.${PIT_ALPHAS_FILE}.${stamp}.tmp`);
  const tmpManifest = join(dir, `.${PIT_MANIFEST_FILE}.${stamp}.tmp`);
  const oldManifest = join(dir, `.${PIT_MANIFEST_FILE}.${stamp}.old`);
  let movedAside = false;
  let tableSwapped = false;
  try {
    mkdirSync(dir, { recursive: true });
    await writeAlphaTable(tmpTable, run.table);
    const manifest = pitManifest(run, meta.region, meta.gitSha, { ...meta.runtime, write: Date.now() - t0 });
    writeFileSync(tmpManifest, JSON.stringify(manifest, null, 1) + '\n');
    // The old manifest goes aside first: a new table never stands beside an old manifest.
    if (existsSync(manifestPath)) {
      renameSync(manifestPath, oldManifest);
      movedAside = true;
    }
    renameSync(tmpTable, path);
    tableSwapped = true;
    renameSync(tmpManifest, manifestPath);
    if (movedAside) rmSync(oldManifest, { force: true });
    return { path, manifestPath, manifest };
  } catch (err) {
    removeQuietly(tmpTable);
    removeQuietly(tmpManifest);
    if (movedAside) {
      if (tableSwapped) rmSync(oldManifest, { force: true });
      else renameSync(oldManifest, manifestPath);
    }
    throw new PitArtifactError(
      `could not write the point-in-time alphas to ${path}: ${(err as Error).message}; ` +
        (tableSwapped
          ? 'the table was replaced but its manifest could not be written.'
          : 'nothing was replaced.'),
      { cause: err },
    );
  }
}

/** Best-effort cleanup on the failure path: the original error is the one to report. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // The path could not exist in the first place (e.g. its parent is a file).
  }
}
