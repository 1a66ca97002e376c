/**
 * The README's opening example is executed as written (@alphafeed/testing's
 * runReadmeExample) on a sample run written to a temporary directory, and
 * prints what its comments claim.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runReadmeExampleAsync } from '@alphafeed/testing';
import * as report from './index';
import { writeSampleRun } from './testing/sample-run';

it('runs the README example and prints the commented values', async () => {
  const root = mkdtempSync(join(tmpdir(), 'alphafeed-report-readme-'));
  try {
    const run = await writeSampleRun(root, 'long_short', { dates: 300, names: 40 });
    const inRoot = (p: string): string => join(root, p);
    const { printed, claimed } = await runReadmeExampleAsync(join(__dirname, '..', 'README.md'), {
      '@alphafeed/report': {
        ...report,
        readReportInputs: () => report.readReportInputs(run),
        writeReport: (html: string, p: string) => report.writeReport(html, inRoot(p)),
      },
    });
    expect(printed).toEqual(claimed);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
