/**
 * Live = batch checks of a point-in-time replay (SPEC §9's last bullet,
 * issue 8 item 6): the alphas the scorer published, model by model on its
 * scoring window, against `computePointInTimeAlphas`; the target weights
 * the portfolio service published against the batch decisions.
 */
import type { RegionConfig } from '@alphafeed/config';
import type { BacktestResult } from '@alphafeed/backtest';
import { formatIsoDay, parseIsoDay } from '@alphafeed/core';
import type { BarPanel, FeatureFrame } from '@alphafeed/core';
import {
  PanelStepInputs,
  portfolioEngineOptionsFromConfig,
  runPortfolioBacktest,
} from '@alphafeed/portfolio';
import type { PitRun } from '@alphafeed/pit-alphas';
import type { StorePort } from '@alphafeed/store';
import { TARGET_WEIGHTS_TABLE } from '@alphafeed/service-portfolio';
import { ALPHAS_TABLE } from '@alphafeed/streaming';

export interface AlphaComparison {
  /** Rows of the point-in-time table. */
  readonly rows: number;
  /** Of those, rows the store has for the same (date, instrument, model_id). */
  readonly matched: number;
  /** Largest |alpha_combined, alpha_21d, alpha_63d live - batch| in bps over the matched rows. */
  readonly maxAbsBps: number;
  /** Up to 5 lines describing missing rows or the largest differences. */
  readonly problems: readonly string[];
}

/** Compares every row of `run.table` with the alphas the scorer stored for the same model. */
export async function compareStoredAlphas(
  store: StorePort,
  config: RegionConfig,
  run: PitRun,
): Promise<AlphaComparison> {
  await store.ensureTables([ALPHAS_TABLE]);
  const table = run.table;
  const problems: string[] = [];
  let matched = 0;
  let maxAbsBps = 0;
  for (let m = 0; m < table.modelIds.length; m++) {
    const modelId = table.modelIds[m];
    const rows: number[] = [];
    for (let r = 0; r < table.length; r++) if (table.model[r] === m) rows.push(r);
    if (rows.length === 0) continue;
    const from = table.calendar[table.date[rows[0]]];
    const to = table.calendar[table.date[rows[rows.length - 1]]];
    const live = await store.read(ALPHAS_TABLE.name, {
      region: config.region,
      from,
      to,
      tags: { model_version: modelId },
    });
    const index = new Map<string, number>();
    for (let i = 0; i < live.length; i++)
      index.set(`${live.date[i]} ${live.instruments[live.instrument[i]]}`, i);
    for (const r of rows) {
      const key = `${parseIsoDay(table.calendar[table.date[r]])} ${table.instruments[table.instrument[r]]}`;
      const i = index.get(key);
      if (i === undefined) {
        if (problems.length < 5)
          problems.push(
            `no live alpha of ${modelId} for ${table.calendar[table.date[r]]} ${table.instruments[table.instrument[r]]}`,
          );
        continue;
      }
      matched++;
      const pairs: [number, number][] = [[live.columns.alpha_combined[i], table.alphaCombined[r]]];
      table.horizons.forEach((k, h) => pairs.push([live.columns[`alpha_${k}d`][i], table.alphas[h][r]]));
      for (const [a, b] of pairs) {
        const d = Number.isNaN(a) && Number.isNaN(b) ? 0 : Math.abs(a - b);
        if (!(d <= maxAbsBps)) {
          maxAbsBps = Number.isNaN(d) ? Infinity : d;
          if (d > 1e-6 && problems.length < 5)
            problems.push(`${key} ${modelId}: live ${a} bps, batch ${b} bps`);
        }
      }
    }
  }
  return { rows: table.length, matched, maxAbsBps, problems };
}

export interface TargetComparison {
  /** Rebalance dates of the batch backtest, and of them the ones the service published. */
  readonly batchDates: number;
  readonly liveDates: number;
  /** Batch weight-log rows (names held or targeted) and of them the ones the service published. */
  readonly rows: number;
  readonly matched: number;
  /** Largest |weight live - target batch| over the matched rows and over live rows the batch log leaves out (zeros). */
  readonly maxAbs: number;
  readonly problems: readonly string[];
}

/**
 * Compares the target weights the portfolio service stored with the batch
 * backtest's decisions (its weight log: per rebalance date, every name held
 * or targeted, with the target, or the kept weights when the book was kept).
 */
export async function compareStoredTargets(
  store: StorePort,
  config: RegionConfig,
  batch: BacktestResult,
): Promise<TargetComparison> {
  await store.ensureTables([TARGET_WEIGHTS_TABLE]); // a store client learns a table's spec here
  const live = await store.read(TARGET_WEIGHTS_TABLE.name, { region: config.region });
  const liveRows = new Map<string, number>();
  const liveDays = new Set<number>();
  for (let i = 0; i < live.length; i++) {
    liveRows.set(`${live.date[i]} ${live.instruments[live.instrument[i]]}`, i);
    liveDays.add(live.date[i]);
  }
  const w = batch.weights;
  const problems: string[] = [];
  const seen = new Set<string>();
  let matched = 0;
  let maxAbs = 0;
  const note = (line: string): void => {
    if (problems.length < 5) problems.push(line);
  };
  for (let r = 0; r < w.length; r++) {
    const iso = batch.calendar[w.date[r]];
    const key = `${parseIsoDay(iso)} ${batch.instruments[w.instrument[r]]}`;
    seen.add(key);
    const i = liveRows.get(key);
    if (i === undefined) {
      note(`no live target for ${iso} ${batch.instruments[w.instrument[r]]} (batch ${w.target[r]})`);
      continue;
    }
    matched++;
    const d = Math.abs(live.columns.weight[i] - w.target[r]);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    if (!(d <= 1e-6)) note(`${key}: live ${live.columns.weight[i]}, batch ${w.target[r]}`);
  }
  for (const [key, i] of liveRows) {
    if (seen.has(key)) continue;
    const d = Math.abs(live.columns.weight[i]);
    if (!(d <= maxAbs)) maxAbs = Number.isNaN(d) ? Infinity : d;
    if (!(d <= 1e-6)) note(`${key}: live ${live.columns.weight[i]}, not in the batch log (0)`);
  }
  const batchDays = new Set(Array.from(batch.rebalances.date, (p) => parseIsoDay(batch.calendar[p])));
  for (const day of batchDays) if (!liveDays.has(day)) note(`no live decision on ${formatIsoDay(day)}`);
  for (const day of liveDays)
    if (!batchDays.has(day)) note(`a live decision on ${formatIsoDay(day)}, none in the batch`);
  return {
    batchDates: batchDays.size,
    liveDates: [...liveDays].filter((d) => batchDays.has(d)).length,
    rows: w.length,
    matched,
    maxAbs,
    problems,
  };
}

/**
 * The batch decisions of a point-in-time alpha table: `runPortfolioBacktest`
 * (the `@alphafeed/portfolio` engine over the bar panel, the feature frame
 * and the alphas, with the options the config gives the live service too).
 */
export function batchTargets(
  config: RegionConfig,
  panel: BarPanel,
  features: FeatureFrame,
  run: PitRun,
): BacktestResult {
  const source = new PanelStepInputs(panel, features, run.table);
  const { instruments: _i, industries: _g, ...options } = portfolioEngineOptionsFromConfig(config, source);
  return runPortfolioBacktest(source, options).result;
}
