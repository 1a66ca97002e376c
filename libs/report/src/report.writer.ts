/**
 * Writes the tear sheet next to the backtest it describes
 * (`data/backtest/{region}/report.html`), through a temporary file renamed
 * over the target so a reader never sees half a page.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ReportOutputError } from './errors';

export const REPORT_FILE = 'report.html';

export function writeReport(html: string, path: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, html);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new ReportOutputError(`could not write the report ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
