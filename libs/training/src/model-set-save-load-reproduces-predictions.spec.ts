/**
 * Scenario: a model set written by `writeArtifacts` and read back by
 * `loadModelSet` predicts exactly what the training run predicted — every
 * intermediate column and every published alpha, bit for bit — and the
 * predictions.parquet on disk holds those same numbers. Also on a frame the
 * models never saw (a different seed), against the in-memory models.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { predictAlphas } from './alpha-pipeline';
import { writeArtifacts } from './artifacts.writer';
import { loadModelSet, predictWithModelSet, type ModelSet } from './model-set';
import { parquetRecords } from '@alphafeed/testing';
import { smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2, type TrainResult } from './train-model2';

function expectIdentical(a: ArrayLike<number> | null, b: ArrayLike<number> | null): void {
  expect(a).not.toBeNull();
  expect(b).not.toBeNull();
  const x = a as ArrayLike<number>;
  const y = b as ArrayLike<number>;
  expect(x.length).toBe(y.length);
  let differing = 0;
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) differing++;
  expect(differing).toBe(0);
}

describe('model set save/load', () => {
  let root: string;
  let result: TrainResult;
  let set: ModelSet;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'alphafeed-model-set-'));
    const panel = syntheticPanel({ instruments: 30, dates: 650, signal: 0.3, seed: 11 });
    result = trainModel2({ ...panel, config: smallConfig({}, 30) });
    const w = await writeArtifacts(result, { modelsDir: join(root, 'models'), dataDir: join(root, 'data') });
    set = loadModelSet(w.modelDir);
  });
  afterAll(() => {
    result?.dispose();
    set?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test('reproduces base, stacked, calibrated and final predictions exactly', () => {
    const again = predictWithModelSet(set, result.frame);
    const before = result.predictions;
    before.detail.forEach((d, k) => {
      expectIdentical(again.detail[k].ridge, d.ridge);
      expectIdentical(again.detail[k].xgb, d.xgb);
      expectIdentical(again.detail[k].stacked, d.stacked);
      expectIdentical(again.detail[k].calibrated, d.calibrated);
      expectIdentical(again.alphas[k], before.alphas[k]);
    });
    expectIdentical(again.combined, before.combined);
    expect(again.clipped).toEqual(before.clipped);
    expect(Array.from(set.models.weights)).toEqual(Array.from(result.models.weights));
  });

  test('predictions.parquet holds the same numbers', async () => {
    const p = await parquetRecords(join(root, 'data/model2/us/predictions.parquet'));
    expectIdentical(
      p.records.map((r) => r.alpha_combined as number),
      result.predictions.combined,
    );
    expectIdentical(
      p.records.map((r) => r.alpha_21d as number),
      result.predictions.alphas[0],
    );
  });

  test('on unseen features the loaded set agrees with the in-memory models', () => {
    const other = syntheticPanel({ instruments: 25, dates: 300, seed: 99 }).features;
    const mine = predictAlphas(result.models, other);
    const loaded = predictWithModelSet(set, other);
    expectIdentical(loaded.combined, mine.combined);
    expectIdentical(loaded.detail[1].xgb, mine.detail[1].xgb);
  });

  test('a missing feature column is refused with the feature named', () => {
    const other = syntheticPanel({ instruments: 10, dates: 50 }).features;
    const broken = { ...other, featureNames: ['mom_12_1', 'rev_1m', 'ma_gap_20', 'vol_60'] };
    expect(() => predictWithModelSet(set, broken)).toThrow(/vol_20/);
  });
});
