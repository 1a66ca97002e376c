/**
 * The one sequence every run of the suite goes through, with hooks where a
 * scenario injects its faults:
 *
 *   replay A (dates 0 .. trainAt, in chunks) → wait until features + labels +
 *   scorer closed trainAt → POST /train → replay B (the rest, live scoring) →
 *   wait until all dates closed → correct 2 of 40 bars of a closed date (a
 *   restatement) → settle → snapshot.
 *
 * A clean run and a faulty run of the same options publish exactly the same
 * messages and train at the same cut-off, so their final states must agree
 * cell by cell.
 */
import type { BarEvent } from '@alphafeed/codec';
import { keyPartition } from '@alphafeed/bus';
import { parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { BAR_SERVICES, PipelineRun } from './pipeline-run';
import type { RunSnapshot } from './pipeline-run';

export interface FlowHooks {
  /** After chunk `i` of replay A was published (the services are still working through it). */
  afterChunk?(run: PipelineRun, i: number): Promise<void>;
  /** Right after POST /train was sent (the request is in flight). */
  duringTraining?(run: PipelineRun): Promise<void>;
  /** After replay B was published. */
  afterReplayB?(run: PipelineRun): Promise<void>;
  /** Right after the restatement's corrected bars were published. */
  duringRestatement?(run: PipelineRun): Promise<void>;
}

export const CHUNKS = 4;

/**
 * The largest partition count of the suite: the flow's restatement rows are
 * chosen for it, and two bars on one partition of 6 are on one partition of
 * 1 too, so runs of either count reach the same final state and share one
 * clean reference.
 */
export const MAX_PARTITIONS = 6;

/**
 * Panel rows of the flow's restatement: 2 bars of date T−25 whose instruments
 * hash to one partition (of `partitions`), so the correction reaches a
 * consumer as one batch and makes exactly one restatement (revision 1) in a
 * clean run, whatever the timing.
 */
export function restatementRows(panel: BarPanel, partitions: number): number[] {
  const at = panel.calendar.length - 25;
  const rows: number[] = [];
  for (let r = 0; r < panel.length; r++) if (panel.date[r] === at) rows.push(r);
  const part = (r: number) => keyPartition(Buffer.from(panel.instruments[panel.instrument[r]]), partitions);
  for (let i = 0; i < rows.length; i++)
    for (let j = i + 3; j < rows.length; j++) if (part(rows[i]) === part(rows[j])) return [rows[i], rows[j]];
  throw new Error('no two instruments of the restated date share a partition');
}

/** The corrected bars: the close +3 %, the range kept consistent (a vendor correction). */
export function restatementOf(run: PipelineRun): BarEvent[] {
  const panel = run.ctx.panel;
  return restatementRows(panel, MAX_PARTITIONS).map((r) => {
    const close = panel.close[r] * 1.03;
    return {
      region: 'us',
      date: parseIsoDay(panel.calendar[panel.date[r]]),
      instrument: panel.instruments[panel.instrument[r]],
      open: panel.open[r],
      high: Math.max(panel.high[r], close),
      low: panel.low[r],
      close,
      volume: panel.volume[r],
      amount: panel.amount === null ? null : panel.amount[r],
      shares_out: panel.sharesOut === null ? null : panel.sharesOut[r],
      factor: null,
      industry: panel.industries[panel.industry[r]],
    };
  });
}

export function trainAt(run: PipelineRun): number {
  return run.calendar.length - 60;
}

/**
 * Runs the sequence; `expected` (the clean run's closed dates and alpha row
 * count) lets a faulty run wait exactly until it reached the same state, or
 * give up after `settleMs` and be compared as it is.
 */
export async function runFlow(
  run: PipelineRun,
  hooks: FlowHooks = {},
  expected: { closed: Map<string, { count: number; revisions: number }>; alphas: number } | null = null,
  settleMs = 45_000,
): Promise<RunSnapshot> {
  const T = run.calendar.length;
  const cut = trainAt(run);
  let t0 = Date.now();
  const phase = (name: string) => {
    run.timings.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)}s`);
    t0 = Date.now();
  };
  const bounds = Array.from({ length: CHUNKS + 1 }, (_, i) => Math.round((cut + 1) * (i / CHUNKS)));
  for (let i = 0; i < CHUNKS; i++) {
    await run.replay(bounds[i], bounds[i + 1] - 1);
    await hooks.afterChunk?.(run, i);
  }
  if (!(await run.waitClosed(BAR_SERVICES, cut, 240_000)))
    run.notes.push(`replay A did not close by ${run.calendar[cut]}`);
  phase('replay A');
  const training = run.train();
  await hooks.duringTraining?.(run);
  const model = await training;
  run.notes.push(`trained ${model.modelVersion}`);
  phase('train');
  await run.replay(cut + 1, T - 1);
  await hooks.afterReplayB?.(run);
  if (!(await run.waitClosed(BAR_SERVICES, T - 1, 240_000)))
    run.notes.push(`replay B did not close by ${run.calendar[T - 1]}`);
  // The scorer has swapped the model in and scored up to the last date before the correction comes.
  await run.settle((_cd, alphas) => alphas > 0, 60_000, 2000);
  phase('replay B');
  await run.publishBars(restatementOf(run));
  await hooks.duringRestatement?.(run);
  await run.settle(
    (cd, alphas) =>
      expected === null
        ? BAR_SERVICES.every((s) => (cd.get(s)?.count ?? 0) === T && (cd.get(s)?.revisions ?? 0) > 0)
        : BAR_SERVICES.every(
            (s) =>
              cd.get(s)?.count === expected.closed.get(s)?.count &&
              cd.get(s)?.revisions === expected.closed.get(s)?.revisions,
          ) && alphas === expected.alphas,
    settleMs,
  );
  phase('restatement');
  const snapshot = await run.snapshot();
  phase('snapshot');
  return snapshot;
}
