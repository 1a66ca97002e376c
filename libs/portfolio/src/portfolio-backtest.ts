/**
 * The batch backtest through the portfolio engine: one `PortfolioEngine`
 * stepped over the calendar (the risk model warms up from `warmUpFrom`, the
 * book opens on the first date with alphas at or after `from`), its logs
 * recorded by `BacktestRecorder` into a `BacktestResult` (the shape the
 * summary, the outputs and the report read), plus the log of every
 * decision. The live service steps the same engine on the same inputs.
 */
import { BacktestRecorder, type BacktestResult } from '@alphafeed/backtest';
import { STYLE_FACTORS } from '@alphafeed/risk';
import { PortfolioInputError } from './errors';
import { PortfolioEngine, type PortfolioEngineOptions } from './portfolio.engine';
import type { PortfolioDecision } from './portfolio.types';
import type { StepInputSource } from './step-inputs';

export interface PortfolioBacktestOptions {
  /** First calendar position the book may open on (default 0: the first date with alphas). */
  readonly from?: number;
  /** Last calendar position, inclusive (default: the last date). */
  readonly to?: number;
  /** The risk model takes the dates from here (default 0: all history, as the live service). */
  readonly warmUpFrom?: number;
  /** Called after each date with (dates done, dates in all). */
  readonly onProgress?: (done: number, total: number) => void;
}

export interface DecisionRecord extends Omit<PortfolioDecision, 'targets'> {
  readonly dateIndex: number;
}

export interface PortfolioBacktest {
  readonly result: BacktestResult;
  /** One record per rebalance date (targets omitted: the weights log has them). */
  readonly decisions: readonly DecisionRecord[];
  /** Counts of decisions per status and of relaxations per kind. */
  readonly decisionCounts: Readonly<Record<string, number>>;
}

export function runPortfolioBacktest(
  source: StepInputSource,
  engineOptions: Omit<PortfolioEngineOptions, 'recorder' | 'start' | 'instruments' | 'industries'>,
  options: PortfolioBacktestOptions = {},
): PortfolioBacktest {
  const D = source.calendar.length;
  const from = options.from ?? 0;
  const end = options.to ?? D - 1;
  const warmUpFrom = options.warmUpFrom ?? 0;
  const start = source.firstAlphaDate(from);
  if (start < 0)
    throw new PortfolioInputError(
      'ALPHAS',
      `no alphas on or after ${source.calendar[Math.min(Math.max(0, from), D - 1)] ?? 'the start'}; compute the point-in-time alphas or pass --alphas`,
    );
  if (!(Number.isInteger(end) && end > start && end < D))
    throw new PortfolioInputError(
      'DATE',
      `the backtest ends on ${source.calendar[end] ?? end}, not after its first decision on ${source.calendar[start]}; a backtest needs at least one date after the first alphas`,
    );
  if (!(Number.isInteger(warmUpFrom) && warmUpFrom >= 0 && warmUpFrom <= start))
    throw new PortfolioInputError('DATE', `warmUpFrom (${warmUpFrom}) must be in [0, ${start}]`);
  const recorder = new BacktestRecorder({
    start,
    end,
    exposureNames: [...source.industries, ...STYLE_FACTORS],
  });
  const engine = new PortfolioEngine({
    ...engineOptions,
    instruments: source.instruments,
    industries: source.industries,
    start,
    recorder,
  });
  const decisions: DecisionRecord[] = [];
  const counts: Record<string, number> = {};
  const total = end - warmUpFrom + 1;
  for (let d = warmUpFrom; d <= end; d++) {
    const out = engine.step(source.inputOf(d));
    if (out.decision !== null) {
      const { targets: _targets, ...rest } = out.decision;
      decisions.push({ dateIndex: d, ...rest });
      counts[rest.status] = (counts[rest.status] ?? 0) + 1;
      for (const r of rest.relaxations) counts[`relaxed_${r}`] = (counts[`relaxed_${r}`] ?? 0) + 1;
    }
    options.onProgress?.(d - warmUpFrom + 1, total);
  }
  const result = recorder.result({
    mode: engineOptions.mode,
    calendar: source.calendar,
    instruments: source.instruments,
    rebalanceEvery: engineOptions.rebalanceEvery,
    finalWeights: engine.heldWeights(),
  });
  return { result, decisions, decisionCounts: counts };
}
