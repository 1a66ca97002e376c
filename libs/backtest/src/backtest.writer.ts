/**
 * Writes a backtest's outputs all-or-nothing into `data/backtest/{region}/`:
 *
 *   daily.parquet, weights.parquet, trades.parquet, summary.json,
 *   signal.parquet (with alphas and labels), exposures.parquet (with a risk model)
 *
 * Every file is first written into a fresh temporary directory next to the
 * target (the costly, failure-prone part). Then each target file is moved
 * aside and the new one renamed in; if a rename fails, the files already
 * swapped are put back. The old files are removed only when all succeeded.
 * The directory is shared with other stages (the point-in-time alphas live
 * there too), so only the files this writer owns are touched; an owned file
 * that this run does not produce (no signal, say) is removed with the rest,
 * so the directory never mixes two runs.
 *
 * Cost: the Parquet encoding of weights and trades, O(rows).
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { writeParquet, type ParquetTableInput } from '@alphafeed/data';
import type { BacktestResult } from './backtest.engine';
import type { BacktestMetrics } from './backtest-summary';
import {
  dailyTable,
  exposuresTable,
  signalTable,
  summaryDocument,
  tradesTable,
  weightsTable,
  type RunIdentity,
} from './backtest-tables';
import { BacktestOutputError } from './errors';
import type { SignalSeries, SignalSummary } from './signal-metrics';

export const BACKTEST_FILES = [
  'daily.parquet',
  'weights.parquet',
  'trades.parquet',
  'signal.parquet',
  'exposures.parquet',
  'summary.json',
  // Written by the report from these files: a new backtest makes it stale, so it goes with them.
  'report.html',
] as const;

export interface BacktestOutputs {
  readonly result: BacktestResult;
  readonly metrics: BacktestMetrics;
  readonly signal: { readonly series: SignalSeries; readonly summary: SignalSummary } | null;
  readonly identity: RunIdentity;
}

export function backtestDir(dataDir: string, region: string): string {
  return join(dataDir, 'backtest', region);
}

/** Writes the outputs into `dir` (created if needed); returns the files written. */
export async function writeBacktestOutputs(outputs: BacktestOutputs, dir: string): Promise<string[]> {
  const { result, metrics, signal, identity } = outputs;
  const tmp = join(dirname(dir), `.${basename(dir)}.backtest-tmp-${process.pid}-${Date.now()}`);
  const files = new Map<string, ParquetTableInput | string>([
    ['daily.parquet', dailyTable(result)],
    ['weights.parquet', weightsTable(result)],
    ['trades.parquet', tradesTable(result)],
  ]);
  if (signal !== null) files.set('signal.parquet', signalTable(result.calendar, signal.series));
  const exposures = exposuresTable(result);
  if (exposures !== null) files.set('exposures.parquet', exposures);
  files.set(
    'summary.json',
    JSON.stringify(summaryDocument(result, metrics, signal?.summary ?? null, identity), null, 1) + '\n',
  );
  try {
    mkdirSync(tmp, { recursive: true });
    for (const [name, content] of files) {
      const path = join(tmp, name);
      if (typeof content === 'string') writeFileSync(path, content);
      else await writeParquet(path, content);
    }
    swapFiles(tmp, dir, [...files.keys()]);
    return [...files.keys()].map((f) => join(dir, f));
  } catch (err) {
    throw new BacktestOutputError(
      `could not write the backtest outputs to ${dir}: ${(err as Error).message}; nothing was replaced.`,
      { cause: err },
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Moves `names` from `tmp` into `dir`, and every other owned file of `dir`
 * out of it; restores the previous files if any rename fails.
 */
function swapFiles(tmp: string, dir: string, names: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  const aside = join(tmp, '.previous');
  mkdirSync(aside);
  const moved: string[] = [];
  const placed: string[] = [];
  try {
    for (const name of BACKTEST_FILES) {
      if (existsSync(join(dir, name))) {
        renameSync(join(dir, name), join(aside, name));
        moved.push(name);
      }
    }
    for (const name of names) {
      renameSync(join(tmp, name), join(dir, name));
      placed.push(name);
    }
  } catch (err) {
    for (const name of placed) rmSync(join(dir, name), { force: true });
    for (const name of moved) renameSync(join(aside, name), join(dir, name));
    throw err;
  }
}
