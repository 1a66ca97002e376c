/**
 * The tables a training run publishes, as columnar Parquet inputs (and the
 * JSON documents of its manifest). Shared by the writer and by the schema
 * test, which validates these exact rows. Dates are written as Parquet DATE
 * (day numbers), instruments dictionary-coded.
 */
import { parseIsoDay } from '@alphafeed/core';
import type { ScoreRecord } from '@alphafeed/cv';
import type { ParquetTableInput } from '@alphafeed/data';
import { horizonColumn } from './alpha-pipeline';
import { gather } from './gather';
import type { TrainResult } from './train-model2';

/** Day number of every calendar position. */
function calendarDays(calendar: readonly string[]): Int32Array {
  return Int32Array.from(calendar, (d) => parseIsoDay(d));
}

/** `predictions.parquet`: `[date, instrument, alpha_21d, alpha_63d, alpha_combined, var_21d, var_63d]`, every feature row. */
export function predictionsTable(r: TrainResult): ParquetTableInput {
  const f = r.frame;
  const days = calendarDays(f.calendar);
  const n = f.length;
  const p = r.predictions;
  return {
    length: n,
    columns: [
      { name: 'date', type: 'date', values: gather(days, f.date) },
      { name: 'instrument', type: 'string', codes: f.instrument, dictionary: f.instruments },
      ...r.models.horizons.map((h, k) => ({
        name: horizonColumn(h.horizon),
        type: 'double' as const,
        values: p.alphas[k],
      })),
      { name: 'alpha_combined', type: 'double', values: p.combined },
      ...r.models.horizons.map((h) => ({
        name: `var_${h.horizon}d`,
        type: 'double' as const,
        values: new Float64Array(n).fill(h.variance),
      })),
    ],
  };
}

/** `oof_{model}_{k}d.parquet`: `[instrument, date, prediction, fold_id]`, covered samples only, (date, instrument) order. */
export function oofTable(r: TrainResult, horizon: number, model: 'ridge' | 'xgb'): ParquetTableInput {
  const hr = r.horizons.find((h) => h.horizon === horizon);
  const oof = hr?.oof[model];
  if (hr === undefined || oof === undefined) throw new Error(`no ${model} OOF for horizon ${horizon}`);
  const f = r.frame;
  const days = calendarDays(f.calendar);
  // Covered samples, then their feature rows; typed arrays and plain loops
  // (TypedArray.from with a map function over millions of rows took seconds).
  const { rows: sampleRows, dates } = hr.samples;
  let n = 0;
  const all = new Int32Array(sampleRows.length);
  for (let s = 0; s < sampleRows.length; s++) if (oof.timesTested[s] > 0) all[n++] = s;
  const covered = all.subarray(0, n);
  return {
    length: n,
    columns: [
      {
        name: 'instrument',
        type: 'string',
        codes: gather(f.instrument, gather(sampleRows, covered)),
        dictionary: f.instruments,
      },
      { name: 'date', type: 'date', values: gather(days, gather(dates, covered)) },
      { name: 'prediction', type: 'double', values: gather(oof.prediction, covered) },
      { name: 'fold_id', type: 'int32', values: gather(oof.foldId, covered) },
    ],
  };
}

/** `feature_importance_{k}d.parquet`: `[feature, importance_gain, importance_weight]`, by gain descending. */
export function importanceTable(r: TrainResult, horizon: number): ParquetTableInput {
  const imp = r.horizons.find((h) => h.horizon === horizon)?.importance;
  if (imp === undefined || imp === null) throw new Error(`no XGBoost importance for horizon ${horizon}`);
  const order = imp.feature.map((_, j) => j).sort((a, b) => imp.gain[b] - imp.gain[a] || a - b);
  return {
    length: order.length,
    columns: [
      { name: 'feature', type: 'string', values: order.map((j) => imp.feature[j]) },
      { name: 'importance_gain', type: 'double', values: Float64Array.from(order, (j) => imp.gain[j]) },
      { name: 'importance_weight', type: 'double', values: Float64Array.from(order, (j) => imp.weight[j]) },
    ],
  };
}

/** `cv_scores.jsonl` text: one `{model, horizon, fold_id, metric, value}` per line. NaN (a degenerate fold) becomes null. */
export function cvScoresJsonl(scores: readonly ScoreRecord[]): string {
  return (
    scores.map((s) => JSON.stringify({ ...s, value: Number.isFinite(s.value) ? s.value : null })).join('\n') +
    '\n'
  );
}
