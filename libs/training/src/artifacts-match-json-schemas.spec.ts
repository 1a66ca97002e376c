/**
 * Scenario: a training run writes its artifacts; every file validates
 * against its JSON Schema in schemas/ (Parquet files as JSON records), and
 * the column layouts are the ones the issue lists. Each schema is also shown
 * to reject a corrupted record, so the validation can fail.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { writeArtifacts } from './artifacts.writer';
import { parquetRecords } from '@alphafeed/testing';
import { smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2, type TrainResult } from './train-model2';

const SCHEMAS = join(__dirname, '../../../schemas');
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const compiled = new Map<string, ValidateFunction>();
function schema(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (v === undefined) {
    v = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, `${name}.schema.json`), 'utf8')));
    compiled.set(name, v);
  }
  return v;
}

function expectValid(validate: ValidateFunction, data: unknown): void {
  const ok = validate(data);
  if (!ok) throw new Error(ajv.errorsText(validate.errors, { separator: '\n' }));
}

describe.each(['walk_forward', 'cpcv'] as const)('artifacts of a %s run match their schemas', (method) => {
  let root: string;
  let result: TrainResult;
  let modelDir: string;
  let dataDir: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'alphafeed-train-schemas-'));
    const panel = syntheticPanel({ instruments: 30, dates: 700, signal: 0.3 });
    result = trainModel2({ ...panel, config: smallConfig({ cv: { method } }) });
    const w = await writeArtifacts(result, {
      modelsDir: join(root, 'models'),
      dataDir: join(root, 'data'),
      gitSha: 'abc123def456',
    });
    modelDir = w.modelDir;
    dataDir = w.dataDir;
  });
  afterAll(() => {
    result?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  test('the directories hold exactly the listed files', () => {
    expect(modelDir).toBe(join(root, 'models', 'model2_us'));
    expect(dataDir).toBe(join(root, 'data', 'model2', 'us'));
    expect(readdirSync(modelDir).sort()).toEqual(
      [
        'manifest.json',
        ...['21d', '63d'].flatMap((h) => ['ridge', 'xgb', 'meta', 'calibrator'].map((m) => `${m}_${h}.json`)),
      ].sort(),
    );
    expect(readdirSync(dataDir).sort()).toEqual(
      [
        'predictions.parquet',
        'cv_scores.jsonl',
        'splits.json',
        ...['21d', '63d'].flatMap((h) => [
          `oof_ridge_${h}.parquet`,
          `oof_xgb_${h}.parquet`,
          `feature_importance_${h}.parquet`,
        ]),
      ].sort(),
    );
    // No temporary directory is left next to the targets.
    expect(readdirSync(join(root, 'models'))).toEqual(['model2_us']);
    expect(readdirSync(join(root, 'data', 'model2'))).toEqual(['us']);
  });

  test('predictions.parquet: columns, one row per feature row, Predictions schema', async () => {
    const p = await parquetRecords(join(dataDir, 'predictions.parquet'));
    expect(p.columns).toEqual([
      'date',
      'instrument',
      'alpha_21d',
      'alpha_63d',
      'alpha_combined',
      'var_21d',
      'var_63d',
    ]);
    expect(p.types).toEqual(['date', 'string', 'double', 'double', 'double', 'double', 'double']);
    expect(p.records).toHaveLength(result.frame.length);
    const validate = schema('Predictions');
    expectValid(validate, p.records);
    expect(validate([{ ...p.records[0], alpha_21d: 1000.5 }])).toBe(false);
    expect(validate([{ ...p.records[0], alpha_21d: null }])).toBe(false);
  });

  test('oof_*.parquet: columns and OOFPredictions schema', async () => {
    const validate = schema('OOFPredictions');
    for (const h of ['21d', '63d']) {
      for (const m of ['ridge', 'xgb']) {
        const o = await parquetRecords(join(dataDir, `oof_${m}_${h}.parquet`));
        expect(o.columns).toEqual(['instrument', 'date', 'prediction', 'fold_id']);
        expect(o.types).toEqual(['string', 'date', 'double', 'int32']);
        expectValid(validate, o.records);
        const hr = result.horizons.find((x) => x.name === h);
        expect(o.records).toHaveLength(hr?.stacking.covered.length as number);
        expect(validate([{ ...o.records[0], fold_id: -1 }])).toBe(false);
      }
    }
  });

  test('feature_importance_*.parquet: columns and FeatureImportance schema', async () => {
    const validate = schema('FeatureImportance');
    for (const h of ['21d', '63d']) {
      const f = await parquetRecords(join(dataDir, `feature_importance_${h}.parquet`));
      expect(f.columns).toEqual(['feature', 'importance_gain', 'importance_weight']);
      expectValid(validate, f.records);
      expect(f.records.map((r) => r.feature).sort()).toEqual([...result.models.featureNames].sort());
      expect(validate([{ ...f.records[0], importance_weight: 2.5 }])).toBe(false);
    }
  });

  test('cv_scores.jsonl: CVScores schema, folds and OOF of both models and horizons', () => {
    const lines = readFileSync(join(dataDir, 'cv_scores.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const validate = schema('CVScores');
    expectValid(validate, lines);
    const nFolds = method === 'cpcv' ? 15 : 5;
    // 6 lines per fold, 5 for OOF, per model and horizon.
    expect(lines).toHaveLength(2 * 2 * (6 * nFolds + 5));
    expect(validate([{ ...lines[0], fold_id: 'oof', metric: 'n_train', value: 3 }])).toBe(false);
    expect(validate([{ ...lines[0], metric: 'ic', value: 1.5 }])).toBe(false);
  });

  test('manifest.json: Manifest schema, with run identity, data range, cut-off, CV scores and runtimes', () => {
    const m = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8'));
    const validate = schema('Manifest');
    expectValid(validate, m);
    expect(m.config_hash).toBe(result.configHash);
    expect(m.git_sha).toBe('abc123def456');
    expect(m.seed).toBe(42);
    expect(m.label_cutoff).toBe(result.frame.calendar[result.frame.calendar.length - 1]);
    expect(m.cv.method).toBe(method);
    expect(Object.keys(m.runtime_ms)).toEqual(
      expect.arrayContaining(['total', 'predict', 'write', 'cv_21d_xgb', 'final_63d_ridge']),
    );
    expect(validate({ ...m, config_hash: 'short' })).toBe(false);
    expect(validate({ ...m, cv: { ...m.cv, embargoDays: 21 } })).toBe(false);
  });
});
