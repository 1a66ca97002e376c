import { spawnSync } from 'node:child_process';
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

/** The data lib's fixture scripts (Python), beside `src/`. */
export const SCRIPTS = join(__dirname, '..', 'scripts');

/**
 * The Python that writes fixtures as other tools write them (pyarrow, pandas,
 * polars, Qlib's dump_bin layout): the venv `npm run setup -- --test` makes
 * (`libs/data/scripts/setup-python.sh`, `$ALPHAFEED_PYTHON_VENV` or
 * `.cache/python`). Missing is an error, never a skip: a spec that needs it
 * fails with what to run.
 */
export function fixturePython(): string {
  const venv = process.env.ALPHAFEED_PYTHON_VENV ?? join(__dirname, '..', '..', '..', '.cache', 'python');
  const python = join(venv, 'bin', 'python');
  const probe = spawnSync(python, ['-c', 'import numpy, pandas, pyarrow, polars'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `the fixture Python ${python} is missing or lacks numpy/pandas/pyarrow/polars ` +
        `(${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}); ` +
        'run `npm run setup -- --test` (or bash libs/data/scripts/setup-python.sh)',
    );
  }
  return python;
}

/** Runs a fixture script; throws with its stderr when it fails. */
export function runPython(script: string, args: readonly string[]): void {
  const result = spawnSync(fixturePython(), [join(SCRIPTS, script), ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${script} failed (${result.status}): ${result.stderr}`);
}
