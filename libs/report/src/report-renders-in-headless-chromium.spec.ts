/**
 * Scenario: the tear sheet of a long-short and a long-only backtest, written
 * by the real backtest lib and read back from its files, opens in a real
 * headless browser (Debian's chromium driven by playwright-core): every
 * chart shows at least its expected count of data marks with a visible box,
 * the console has no error, the page makes no request besides itself, and
 * a PNG screenshot is saved next to the report (out/report-browser-test/).
 * Skipped, saying so, only where /usr/bin/chromium is absent (`npm run setup
 * -- --test` installs it).
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { buildReport } from './build-report';
import { readReportInputs } from './read-report-inputs';
import { REPORT_FILE, writeReport } from './report.writer';
import { writeSampleRun } from './testing/sample-run';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(__dirname, '../../../out/report-browser-test');
const CHARTS = [
  'cumulative',
  'drawdown',
  'rolling-sharpe',
  'monthly',
  'turnover',
  'ic',
  'quintiles',
  'vol',
  'exposures',
  'cv',
  'importance',
];

const present = existsSync(CHROMIUM);
if (!present)
  process.stderr.write(
    `report browser test SKIPPED: ${CHROMIUM} is absent; install it with \`npm run setup -- --test\` (apt-get install chromium)\n`,
  );

(present ? describe : describe.skip)('the report in headless chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => browser?.close());

  test.each(['long_short', 'long_only'] as const)(
    '%s: every chart has data marks, no console error, no request',
    async (mode) => {
      const root = join(OUT, mode);
      rmSync(root, { recursive: true, force: true });
      const run = await writeSampleRun(root, mode);
      const reportPath = join(run.backtestDir, REPORT_FILE);
      writeReport(buildReport(await readReportInputs(run)), reportPath);
      const url = pathToFileURL(reportPath).href;

      const context = await browser.newContext({ viewport: { width: 1300, height: 900 }, offline: true });
      const page = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (r.url() !== url) requests.push(r.url());
      });
      await page.goto(url, { waitUntil: 'load' });

      const marks = await page.$$eval('figure[data-chart]', (figures) =>
        figures.map((f) => {
          const visible = (e: unknown): boolean => {
            const b = (e as { getBBox(): { width: number; height: number } }).getBBox();
            return b.width > 0 || b.height > 0;
          };
          // Data elements ECharts tags in SSR (bars, heatmap cells), and drawn series lines: stroked,
          // unfilled paths through more than three points (axes and grid lines are single segments).
          const data = [...f.querySelectorAll('[ecmeta_ssr_type="chart"]')].filter(visible);
          const lines = [...f.querySelectorAll('path')].filter(
            (p) =>
              p.getAttribute('ecmeta_ssr_type') !== 'legend' &&
              p.getAttribute('fill') === 'none' &&
              (p.getAttribute('d') ?? '').split('L').length > 4 &&
              visible(p),
          );
          return {
            id: f.getAttribute('data-chart'),
            min: Number(f.getAttribute('data-min-marks')),
            marks: data.length + lines.length,
            missing: f.querySelector('.missing')?.textContent ?? null,
          };
        }),
      );
      expect(marks.map((m) => m.id)).toEqual(CHARTS);
      for (const m of marks) {
        expect({ id: m.id, missing: m.missing }).toEqual({ id: m.id, missing: null });
        expect(m.min).toBeGreaterThan(0);
        if (m.marks < m.min)
          throw new Error(`chart ${m.id} rendered ${m.marks} data marks, expected at least ${m.min}`);
      }
      expect(await page.locator('table.metrics tbody tr').count()).toBeGreaterThan(10);

      const png = join(run.backtestDir, 'report.png');
      await page.screenshot({ path: png, fullPage: true });
      await context.close();
      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      expect(statSync(png).size).toBeGreaterThan(50_000);
    },
  );
});
