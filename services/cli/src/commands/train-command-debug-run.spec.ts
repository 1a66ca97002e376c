/**
 * Scenario: `alphafeed train --debug` runs end to end in seconds — bars,
 * features, labels, training on the training.debug subset, artifacts — on
 * the synthetic source and on golden case c's bars, and a bad config fails
 * before any data is read.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runTrain } from './train.command';

const ROOT = resolve(__dirname, '../../../..');
const SP500 = '/work/shared/data/us_sp500';

describe('alphafeed train --debug', () => {
  let out: string;
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), 'alphafeed-train-cli-'))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  function smallDebugConfig(industryTable?: string): string {
    const path = join(out, 'us-debug.yaml');
    writeFileSync(
      path,
      'region: us\n' +
        'data:\n  synthetic:\n    instruments: 400\n    years: 10\n    signal_strength: 0.3\n' +
        (industryTable === undefined ? '' : `  industry_table: ${industryTable}\n`) +
        'models:\n  xgboost:\n    nthread: 1\n' +
        'training:\n  debug:\n    instruments: 30\n    dates: 1000\n    n_estimators: 5\n',
    );
    return path;
  }

  it('synthetic source: writes the model set and predictions for the debug subset', async () => {
    const started = Date.now();
    await runTrain({
      config: smallDebugConfig(),
      debug: true,
      outModels: join(out, 'models'),
      outData: join(out, 'data'),
      quiet: true,
    });
    const manifest = JSON.parse(readFileSync(join(out, 'models/model2_us/manifest.json'), 'utf8'));
    expect(manifest.xgboost.nEstimators).toBe(5);
    expect(manifest.data_range.instruments).toBe(30);
    expect(manifest.data_range.dates).toBeLessThanOrEqual(1000);
    expect(Object.keys(manifest.runtime_ms)).toEqual(
      expect.arrayContaining(['load', 'features', 'labels', 'write', 'total']),
    );
    expect(existsSync(join(out, 'data/model2/us/predictions.parquet'))).toBe(true);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('a CSV source (golden case c bars) through --source', async () => {
    await runTrain({
      config: smallDebugConfig(),
      source: `csv:${join(ROOT, 'test/fixtures/golden/c/bars.csv')}`,
      debug: true,
      outModels: join(out, 'models'),
      outData: join(out, 'data'),
      quiet: true,
    });
    const manifest = JSON.parse(readFileSync(join(out, 'models/model2_us/manifest.json'), 'utf8'));
    expect(manifest.features).toContain('turnover_20');
    expect(manifest.data_range.instruments).toBe(30);
  });

  (existsSync(join(SP500, 'us_daily.csv.gz')) ? it : it.skip)(
    'the real S&P 500 panel (us_sp500) with its industry table',
    async () => {
      await runTrain({
        config: smallDebugConfig(join(SP500, 'us_industry.csv')),
        source: `csv:${join(SP500, 'us_daily.csv.gz')}`,
        debug: true,
        outModels: join(out, 'models'),
        outData: join(out, 'data'),
        quiet: true,
      });
      const manifest = JSON.parse(readFileSync(join(out, 'models/model2_us/manifest.json'), 'utf8'));
      expect(manifest.data_range.first >= '2013-02-08').toBe(true);
    },
  );

  it('a config with a 21-day embargo is rejected before any data is read', async () => {
    const bad = join(out, 'bad.yaml');
    writeFileSync(bad, 'region: us\ncv:\n  embargo_days: 21\n');
    await expect(
      runTrain({ config: bad, source: 'csv:/nonexistent.csv', debug: true, quiet: true }),
    ).rejects.toThrow(/cv\.embargo_days = 21/);
  });
});
