import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readParquet } from '@alphafeed/data';
import type { ParquetColumn } from '@alphafeed/data';
import { runFeatures } from './features.command';

const ROOT = resolve(__dirname, '../../../..');
const GOLDEN_A = join(ROOT, 'test/fixtures/golden/a');
const SP500 = resolve(ROOT, '../shared/data/us_sp500');

function column(table: { columns: readonly ParquetColumn[] }, name: string): ParquetColumn {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
}

function numbers(c: ParquetColumn): Float64Array {
  if (c.type !== 'double') throw new Error(`${c.name} is ${c.type}`);
  return c.values;
}

describe('alphafeed features', () => {
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'alphafeed-features-'));
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  it('writes the golden case a features and labels as Parquet', async () => {
    await runFeatures({
      config: join(ROOT, 'config/us.yaml'),
      source: `csv:${join(GOLDEN_A, 'bars.csv')}`,
      out,
      quiet: true,
    });
    const features = await readParquet(join(out, 'features.parquet'));
    const labels = await readParquet(join(out, 'labels.parquet'));
    const expected = gunzipSync(readFileSync(join(GOLDEN_A, 'expected/features.csv.gz')))
      .toString()
      .trim()
      .split('\n');
    const header = expected[0].split(',');
    expect(features.columns.map((c) => c.name)).toEqual(header);
    expect(features.length).toBe(expected.length - 1);
    // Spot-check a value per column on the first and last rows; the kernels' own specs check every value.
    for (const line of [expected[1], expected[expected.length - 1]]) {
      const cells = line.split(',');
      const row = line === expected[1] ? 0 : features.length - 1;
      for (let j = 2; j < header.length; j++) {
        const want = Number(cells[j]);
        expect(Math.abs(numbers(column(features, header[j]))[row] - want)).toBeLessThanOrEqual(
          1e-9 * Math.abs(want) + 1e-12,
        );
      }
    }
    expect(labels.columns.map((c) => c.name)).toEqual(['date', 'instrument', 'label_21d', 'label_63d']);
  });

  it('rejects a bad config before reading any data', async () => {
    const bad = join(out, 'bad.yaml');
    writeFileSync(bad, 'region: us\ncv:\n  embargo_days: 21\n');
    await expect(
      runFeatures({ config: bad, source: 'csv:/nonexistent.csv', out, quiet: true }),
    ).rejects.toThrow(/cv\.embargo_days = 21/);
    expect(existsSync(join(out, 'features.parquet'))).toBe(false);
  });

  const sp500 = existsSync(join(SP500, 'us_daily.csv.gz'));
  if (!sp500) {
    console.warn(
      `SKIPPED: the real S&P 500 panel is not at ${SP500}; the real-data features test did not run`,
    );
  }
  (sp500 ? it : it.skip)('runs features and labels on the real S&P 500 panel', async () => {
    const config = join(out, 'sp500.yaml');
    writeFileSync(config, `region: us\ndata:\n  industry_table: ${join(SP500, 'us_industry.csv')}\n`);
    await runFeatures({ config, source: `csv:${join(SP500, 'us_daily.csv.gz')}`, out, quiet: true });
    const features = await readParquet(join(out, 'features.parquet'));
    const labels = await readParquet(join(out, 'labels.parquet'));
    // 505 names over 1,259 dates; the 252-bar warm-up leaves roughly 1,000 dates of complete rows.
    expect(features.length).toBeGreaterThan(400_000);
    expect(labels.length).toBeGreaterThanOrEqual(619_015);
    for (const c of features.columns.slice(2)) {
      const v = numbers(c);
      for (let i = 0; i < v.length; i++)
        if (!Number.isFinite(v[i])) throw new Error(`${c.name}[${i}] = ${v[i]}`);
    }
  });
});
