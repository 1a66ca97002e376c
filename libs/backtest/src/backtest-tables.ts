/**
 * The backtest's Parquet tables and summary document, column by column from
 * the typed logs (no per-row objects). Dates become Parquet DATE (day
 * numbers), instruments and statuses dictionary-coded strings.
 */
import { parseIsoDay } from '@alphafeed/core';
import type { ParquetTableInput } from '@alphafeed/data';
import { TRADE_STATUSES, type BacktestResult } from './backtest.engine';
import type { BacktestMetrics } from './backtest-summary';
import { QUINTILES, type SignalSeries, type SignalSummary } from './signal-metrics';

/** Day numbers of calendar positions. */
function days(calendar: readonly string[], positions: Int32Array): Int32Array {
  const byPosition = Int32Array.from(calendar, parseIsoDay);
  const out = new Int32Array(positions.length);
  for (let k = 0; k < positions.length; k++) out[k] = byPosition[positions[k]];
  return out;
}

export function dailyTable(r: BacktestResult): ParquetTableInput {
  const d = r.daily;
  return {
    length: d.length,
    columns: [
      { name: 'date', type: 'date', values: days(r.calendar, d.date) },
      { name: 'return_net', type: 'double', values: d.net },
      { name: 'return_gross', type: 'double', values: d.gross },
      { name: 'benchmark', type: 'double', values: d.benchmark },
      { name: 'active', type: 'double', values: d.active },
      { name: 'cost', type: 'double', values: d.cost },
      { name: 'turnover', type: 'double', values: d.turnover },
      { name: 'gross_exposure', type: 'double', values: d.grossExposure },
      { name: 'net_exposure', type: 'double', values: d.netExposure },
      { name: 'n_long', type: 'int32', values: d.longCount },
      { name: 'n_short', type: 'int32', values: d.shortCount },
      { name: 'ex_ante_vol', type: 'double', values: d.exAnteVol },
    ],
  };
}

export function weightsTable(r: BacktestResult): ParquetTableInput {
  const w = r.weights;
  return {
    length: w.length,
    columns: [
      { name: 'date', type: 'date', values: days(r.calendar, w.date) },
      { name: 'instrument', type: 'string', codes: w.instrument, dictionary: r.instruments },
      { name: 'weight', type: 'double', values: w.weight },
      { name: 'target', type: 'double', values: w.target },
    ],
  };
}

export function tradesTable(r: BacktestResult): ParquetTableInput {
  const t = r.trades;
  return {
    length: t.length,
    columns: [
      { name: 'date', type: 'date', values: days(r.calendar, t.fillDate) },
      { name: 'decision_date', type: 'date', values: days(r.calendar, t.decisionDate) },
      { name: 'instrument', type: 'string', codes: t.instrument, dictionary: r.instruments },
      { name: 'weight_before', type: 'double', values: t.weightBefore },
      { name: 'target', type: 'double', values: t.target },
      { name: 'traded', type: 'double', values: t.traded },
      { name: 'cost', type: 'double', values: t.cost },
      { name: 'status', type: 'string', codes: Int32Array.from(t.status), dictionary: TRADE_STATUSES },
    ],
  };
}

export function signalTable(calendar: readonly string[], s: SignalSeries): ParquetTableInput {
  return {
    length: s.length,
    columns: [
      { name: 'date', type: 'date', values: days(calendar, s.date) },
      { name: 'names', type: 'int32', values: s.names },
      { name: 'ic', type: 'double', values: s.ic },
      { name: 'rank_ic', type: 'double', values: s.rankIc },
      ...Array.from({ length: QUINTILES }, (_, q) => ({
        name: `q${q + 1}_next_return`,
        type: 'double' as const,
        values: s.quintile[q],
      })),
    ],
  };
}

/** Long form: one row per (day, factor). */
export function exposuresTable(r: BacktestResult): ParquetTableInput | null {
  const x = r.exposures;
  if (x === null) return null;
  const K = x.names.length;
  const n = r.daily.length;
  const date = new Int32Array(n * K);
  const factor = new Int32Array(n * K);
  const dayOf = days(r.calendar, r.daily.date);
  for (let k = 0; k < n; k++) {
    for (let f = 0; f < K; f++) {
      date[k * K + f] = dayOf[k];
      factor[k * K + f] = f;
    }
  }
  return {
    length: n * K,
    columns: [
      { name: 'date', type: 'date', values: date },
      { name: 'factor', type: 'string', codes: factor, dictionary: x.names },
      { name: 'exposure', type: 'double', values: x.values },
    ],
  };
}

/** What the summary says about the run besides its metrics. */
export interface RunIdentity {
  readonly region: string;
  readonly config_hash: string;
  /** Where the alphas came from, e.g. `point-in-time` or `parquet:PATH`. */
  readonly alphas: string;
  readonly git_sha?: string;
  /** The portfolio settings that shaped the run, for the reader of the summary. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export const SUMMARY_SCHEMA_VERSION = 1;

/** summary.json: identity, range, the §12 metrics and the signal summary; NaN becomes null. */
export function summaryDocument(
  r: BacktestResult,
  metrics: BacktestMetrics,
  signal: SignalSummary | null,
  identity: RunIdentity,
): Record<string, unknown> {
  return nanToNull({
    schema_version: SUMMARY_SCHEMA_VERSION,
    region: identity.region,
    mode: r.mode,
    config_hash: identity.config_hash,
    git_sha: identity.git_sha ?? 'unknown',
    alphas: identity.alphas,
    start: r.calendar[r.start],
    end: r.calendar[r.end],
    rebalance_every: r.rebalanceEvery,
    instruments: r.instruments.length,
    settings: identity.settings ?? {},
    metrics,
    signal,
  }) as Record<string, unknown>;
}

function nanToNull(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map(nanToNull);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = nanToNull(x);
    return out;
  }
  return v;
}
