/**
 * Scenario: bad input gets a clear InputError before any model is fitted,
 * and a failed write leaves nothing half-written (an existing model set stays
 * as it was, no temporary directory is left behind).
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '@alphafeed/core';
import type { RegionConfig } from '@alphafeed/config';
import { writeArtifacts } from './artifacts.writer';
import { ArtifactError, TrainingInputError } from './errors';
import { smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2 } from './train-model2';

const panel = syntheticPanel({ instruments: 20, dates: 600, seed: 2 });

function rejects(run: () => unknown, reason: TrainingInputError['reason'], message: RegExp): void {
  let caught: unknown;
  const started = Date.now();
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(InputError);
  expect(caught).toBeInstanceOf(TrainingInputError);
  expect((caught as TrainingInputError).reason).toBe(reason);
  expect((caught as Error).message).toMatch(message);
  // Validation happens before any fit: a rejection is fast.
  expect(Date.now() - started).toBeLessThan(2000);
}

test('no matured labels: every label NaN', () => {
  const labels = {
    ...panel.labels,
    labels: panel.labels.labels.map((c) => new Float64Array(c.length).fill(NaN)),
  };
  rejects(
    () => trainModel2({ features: panel.features, labels, config: smallConfig() }),
    'NO_MATURED_LABELS',
    /no feature row has a label matured/,
  );
});

test('no matured labels: a cut-off before any label matures', () => {
  const cutoff = panel.features.calendar[15];
  rejects(
    () => trainModel2({ ...panel, config: smallConfig(), labelCutoff: cutoff }),
    'NO_MATURED_LABELS',
    new RegExp(`matured by ${cutoff}`),
  );
});

test.each([NaN, Infinity, -Infinity])(
  'a %s in a feature column names the feature, date and instrument',
  (bad) => {
    const features = panel.features.features.map((c) => c.slice());
    features[2][777] = bad;
    const frame = { ...panel.features, features };
    const where = `${frame.calendar[frame.date[777]]}, ${frame.instruments[frame.instrument[777]]}`;
    rejects(
      () => trainModel2({ features: frame, labels: panel.labels, config: smallConfig() }),
      'NON_FINITE_FEATURE',
      new RegExp(`ma_gap_20 is ${bad} at row 777 \\(${where}\\)`),
    );
  },
);

test('a horizon longer than the data', () => {
  const short = syntheticPanel({ instruments: 20, dates: 60, horizons: [21, 63], seed: 2 });
  rejects(
    () => trainModel2({ ...short, config: smallConfig() }),
    'HORIZON_TOO_LONG',
    /63d is not shorter than the data \(60 calendar dates/,
  );
});

test('an unknown model name (a config built by hand, past the schema)', () => {
  const c = smallConfig();
  const config = { ...c, models: { ...c.models, names: ['ridge', 'lightgbm'] } } as unknown as RegionConfig;
  rejects(() => trainModel2({ ...panel, config }), 'UNKNOWN_MODEL', /unknown model "lightgbm"/);
});

test('an embargo below 63 days (a config built by hand, past the schema)', () => {
  const c = smallConfig();
  const config = { ...c, cv: { ...c.cv, embargo_days: 21 } } as RegionConfig;
  rejects(
    () => trainModel2({ ...panel, config }),
    'EMBARGO_TOO_SMALL',
    /embargo_days = 21 is below the minimum of 63/,
  );
});

test('too few samples for a fold is an input error naming the horizon', () => {
  const small = syntheticPanel({ instruments: 2, dates: 400, seed: 2 });
  rejects(
    () => trainModel2({ ...small, config: smallConfig() }),
    'CV',
    /horizon 21d .*fewer than min_fold_samples/,
  );
});

describe('a failed write leaves the previous model set untouched', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'alphafeed-train-atomic-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('the data root is a file: ArtifactError, old models intact, no temporary directories', async () => {
    const r = trainModel2({ ...panel, config: smallConfig({}, 5) });
    try {
      const models = join(root, 'models');
      mkdirSync(join(models, 'model2_us'), { recursive: true });
      writeFileSync(join(models, 'model2_us', 'manifest.json'), '{"old": true}\n');
      writeFileSync(join(root, 'data'), 'not a directory');
      await expect(writeArtifacts(r, { modelsDir: models, dataDir: join(root, 'data') })).rejects.toThrow(
        ArtifactError,
      );
      expect(readdirSync(models)).toEqual(['model2_us']);
      expect(readFileSync(join(models, 'model2_us', 'manifest.json'), 'utf8')).toBe('{"old": true}\n');
      expect(readdirSync(join(models, 'model2_us'))).toEqual(['manifest.json']);

      // The same call with a usable data root replaces the set completely.
      rmSync(join(root, 'data'));
      await writeArtifacts(r, { modelsDir: models, dataDir: join(root, 'data') });
      expect(JSON.parse(readFileSync(join(models, 'model2_us', 'manifest.json'), 'utf8')).model).toBe(
        'model2',
      );
      expect(readdirSync(models)).toEqual(['model2_us']);
      expect(existsSync(join(root, 'data', 'model2', 'us', 'predictions.parquet'))).toBe(true);
    } finally {
      r.dispose();
    }
  });
});
