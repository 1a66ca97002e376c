import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BarPanel } from '@alphafeed/core';

/** Shared by the specs only (not exported from the lib). */
export const FIXTURES = join(__dirname, 'fixtures');

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `alphafeed-data-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Rows as readable tuples, to compare panels from different sources with one `toEqual`. */
export function panelRows(panel: BarPanel): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (let i = 0; i < panel.length; i++) {
    const row: (string | number)[] = [
      panel.calendar[panel.date[i]],
      panel.instruments[panel.instrument[i]],
      panel.industries[panel.industry[i]],
      panel.open[i],
      panel.high[i],
      panel.low[i],
      panel.close[i],
      panel.volume[i],
    ];
    if (panel.amount !== null) row.push(panel.amount[i]);
    if (panel.sharesOut !== null) row.push(panel.sharesOut[i]);
    rows.push(row);
  }
  return rows;
}
