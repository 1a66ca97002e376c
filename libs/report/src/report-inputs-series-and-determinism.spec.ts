/**
 * Scenario: the report's derived series equal naive twins; its reader gives
 * one clear line when the backtest has not run, and widens the long
 * exposure table back to what the backtest computed; the page is the same
 * bytes for the same files, and has no script and no external reference.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildReport } from './build-report';
import { ReportInputError } from './errors';
import { readReportInputs } from './read-report-inputs';
import { cumulativeReturn, monthlyReturns, rollingAnnualVol, rollingMean } from './report-series';
import { writeSampleRun } from './testing/sample-run';

describe('derived series', () => {
  test('monthly returns compound the days of each month; years compound their months', () => {
    const date = ['2023-12-28', '2023-12-29', '2024-01-02', '2024-01-03', '2024-02-01'];
    const r = Float64Array.from([0.01, -0.02, 0.03, 0.01, -0.05]);
    const m = monthlyReturns(date, r);
    expect(m.years).toEqual([2023, 2024]);
    expect(m.cells).toEqual([
      [0, 11, expect.closeTo(1.01 * 0.98 - 1, 15)],
      [1, 0, expect.closeTo(1.03 * 1.01 - 1, 15)],
      [1, 1, expect.closeTo(-0.05, 15)],
    ]);
    expect(m.yearly[1]).toBeCloseTo(1.03 * 1.01 * 0.95 - 1, 15);
    expect(cumulativeReturn(r)[4]).toBeCloseTo(1.01 * 0.98 * 1.03 * 1.01 * 0.95 - 1, 15);
  });

  test('rolling mean (gaps skipped) and rolling vol equal naive twins', () => {
    const x = Float64Array.from({ length: 200 }, (_, i) => (i % 7 === 3 ? NaN : Math.sin(i * 1.7) * 0.02));
    const mean = rollingMean(x, 20, 10);
    for (let i = 0; i < x.length; i++) {
      const w = [...x.subarray(Math.max(0, i - 19), i + 1)].filter(Number.isFinite);
      if (w.length < 10) expect(mean[i]).toBeNaN();
      else expect(mean[i]).toBeCloseTo(w.reduce((a, b) => a + b, 0) / w.length, 14);
    }
    const y = Float64Array.from({ length: 120 }, (_, i) => Math.cos(i * 0.9) * 0.015);
    const vol = rollingAnnualVol(y, 30);
    for (let i = 29; i < y.length; i++) {
      const w = [...y.subarray(i - 29, i + 1)];
      const m = w.reduce((a, b) => a + b, 0) / 30;
      expect(vol[i]).toBeCloseTo(Math.sqrt((w.reduce((a, b) => a + (b - m) ** 2, 0) / 29) * 252), 12);
    }
    expect(vol[28]).toBeNaN();
  });
});

describe('reader and page', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'alphafeed-report-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('no backtest yet: one line saying what to run', async () => {
    const dir = join(root, 'data', 'backtest', 'us');
    await expect(readReportInputs({ backtestDir: dir, modelDataDir: null })).rejects.toThrow(ReportInputError);
    await expect(readReportInputs({ backtestDir: dir, modelDataDir: null })).rejects.toThrow(
      `no backtest output ${join(dir, 'daily.parquet')}; run \`alphafeed backtest --config C\` first, then the report`,
    );
  });

  test('files read back; the same files make the same page, without scripts or external references', async () => {
    const run = await writeSampleRun(join(root, 'a'), 'long_only', { dates: 260, names: 30 });
    const inputs = await readReportInputs(run);
    expect(inputs.exposures?.factors).toEqual(['Energy', 'Tech', 'beta_252', 'size', 'momentum', 'vol_60']);
    expect(inputs.exposures?.date).toEqual(inputs.daily.date);
    expect(inputs.featureImportance?.map((f) => f.horizon)).toEqual(['21d', '63d']);
    expect(inputs.cvScores?.length).toBe(2 * 2 * 6 * 2);
    const html = buildReport(inputs);
    expect(buildReport(await readReportInputs(run))).toBe(html);
    expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);
    const external = html.match(/(?:href|src)=["'][^"']*/g) ?? [];
    expect(external).toEqual([]);
    // Without the model directory the two model charts say why they are missing.
    const noModel = buildReport(await readReportInputs({ ...run, modelDataDir: null }));
    expect(noModel).toContain('Not available: no cv_scores.jsonl of a trained model.');
    expect(noModel).toContain('Not available: no feature importance of a trained model.');
  });
});
