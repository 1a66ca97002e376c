/**
 * Reads a tear sheet's inputs from disk: the backtest directory
 * (`data/backtest/{region}/`: daily.parquet and summary.json required,
 * signal.parquet and exposures.parquet optional) and the model data
 * directory (`data/model2/{region}/`: cv_scores.jsonl and
 * feature_importance_{h}.parquet, optional). O(file sizes).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { formatIsoDay } from '@alphafeed/core';
import { readParquet, type ParquetColumn, type ParquetTable } from '@alphafeed/data';
import { ReportInputError } from './errors';
import type {
  CvScoreLine,
  DailyColumns,
  ExposureColumns,
  FeatureImportance,
  ReportInputs,
  SignalColumns,
  SummaryDocument,
} from './report-inputs';

export interface ReportSources {
  /** `data/backtest/{region}/`. */
  readonly backtestDir: string;
  /** `data/model2/{region}/` of the last trained model; null to leave the model charts out. */
  readonly modelDataDir: string | null;
}

export async function readReportInputs(sources: ReportSources): Promise<ReportInputs> {
  const { backtestDir, modelDataDir } = sources;
  for (const file of ['daily.parquet', 'summary.json']) {
    if (!existsSync(join(backtestDir, file)))
      throw new ReportInputError(
        `no backtest output ${join(backtestDir, file)}; run \`alphafeed backtest --config C\` first, then the report`,
      );
  }
  const summary = JSON.parse(readFileSync(join(backtestDir, 'summary.json'), 'utf8')) as SummaryDocument;
  return {
    summary,
    daily: await readDaily(join(backtestDir, 'daily.parquet')),
    signal: existsSync(join(backtestDir, 'signal.parquet'))
      ? await readSignal(join(backtestDir, 'signal.parquet'))
      : null,
    exposures: existsSync(join(backtestDir, 'exposures.parquet'))
      ? await readExposures(join(backtestDir, 'exposures.parquet'))
      : null,
    cvScores: modelDataDir === null ? null : readCvScores(join(modelDataDir, 'cv_scores.jsonl')),
    featureImportance: modelDataDir === null ? null : await readImportance(modelDataDir),
  };
}

function column(t: ParquetTable, name: string, path: string): ParquetColumn {
  const c = t.columns.find((x) => x.name === name);
  if (c === undefined)
    throw new ReportInputError(
      `${path} has no column ${name} (columns: ${t.columns.map((x) => x.name).join(', ')}); rerun the backtest with this version`,
    );
  return c;
}

function doubles(t: ParquetTable, name: string, path: string): Float64Array {
  const c = column(t, name, path);
  if (c.type === 'double') return c.values;
  if (c.type === 'float' || c.type === 'int32' || c.type === 'int64') return Float64Array.from(c.values);
  throw new ReportInputError(`${path}: column ${name} is ${c.type}, expected numbers`);
}

function dates(t: ParquetTable, name: string, path: string): string[] {
  const c = column(t, name, path);
  if (c.type !== 'date') throw new ReportInputError(`${path}: column ${name} is ${c.type}, expected a date`);
  return Array.from(c.values, formatIsoDay);
}

function strings(
  t: ParquetTable,
  name: string,
  path: string,
): { codes: Int32Array; dictionary: readonly string[] } {
  const c = column(t, name, path);
  if (c.type !== 'string') throw new ReportInputError(`${path}: column ${name} is ${c.type}, expected text`);
  return c;
}

async function readDaily(path: string): Promise<DailyColumns> {
  const t = await readParquet(path);
  return {
    date: dates(t, 'date', path),
    net: doubles(t, 'return_net', path),
    gross: doubles(t, 'return_gross', path),
    benchmark: doubles(t, 'benchmark', path),
    cost: doubles(t, 'cost', path),
    turnover: doubles(t, 'turnover', path),
    grossExposure: doubles(t, 'gross_exposure', path),
    netExposure: doubles(t, 'net_exposure', path),
    exAnteVol: doubles(t, 'ex_ante_vol', path),
  };
}

async function readSignal(path: string): Promise<SignalColumns> {
  const t = await readParquet(path);
  return {
    date: dates(t, 'date', path),
    ic: doubles(t, 'ic', path),
    rankIc: doubles(t, 'rank_ic', path),
    quintile: [1, 2, 3, 4, 5].map((q) => doubles(t, `q${q}_next_return`, path)),
  };
}

/** exposures.parquet is long (date, factor, exposure) in date-major order; widened here. */
async function readExposures(path: string): Promise<ExposureColumns> {
  const t = await readParquet(path);
  const date = dates(t, 'date', path);
  const factor = strings(t, 'factor', path);
  const exposure = doubles(t, 'exposure', path);
  const factors: string[] = [];
  const seen = new Map<string, number>();
  for (let k = 0; k < t.length; k++) {
    const name = factor.dictionary[factor.codes[k]];
    if (!seen.has(name)) {
      seen.set(name, factors.length);
      factors.push(name);
    }
  }
  const K = factors.length;
  const days: string[] = [];
  for (let k = 0; k < t.length; k++) if (k === 0 || date[k] !== date[k - 1]) days.push(date[k]);
  const values = new Float64Array(days.length * K).fill(NaN);
  let row = -1;
  for (let k = 0; k < t.length; k++) {
    if (k === 0 || date[k] !== date[k - 1]) row++;
    values[row * K + (seen.get(factor.dictionary[factor.codes[k]]) as number)] = exposure[k];
  }
  return { date: days, factors, values };
}

function readCvScores(path: string): CvScoreLine[] | null {
  if (!existsSync(path)) return null;
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CvScoreLine);
}

async function readImportance(dir: string): Promise<FeatureImportance[] | null> {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir)
    .map((f) => /^feature_importance_(\d+d)\.parquet$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => parseInt(a[1], 10) - parseInt(b[1], 10));
  if (files.length === 0) return null;
  const importance: FeatureImportance[] = [];
  for (const m of files) {
    const path = join(dir, m[0]);
    const t = await readParquet(path);
    const f = strings(t, 'feature', path);
    importance.push({
      horizon: m[1],
      feature: Array.from(f.codes, (c) => f.dictionary[c]),
      gain: doubles(t, 'importance_gain', path),
    });
  }
  return importance;
}
