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
import { parseIsoDay } from '@alphafeed/core';
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

/** The date whose bars get corrected (a closed date inside the live-scored part) and the corrected bars. */
export function restatementOf(run: PipelineRun): BarEvent[] {
  const panel = run.ctx.panel;
  const at = panel.calendar.length - 25;
  const dayNumber = parseIsoDay(panel.calendar[at]);
  const out: BarEvent[] = [];
  for (let r = 0; r < panel.length && out.length < 2; r++) {
    if (panel.date[r] !== at) continue;
    // Two instruments of the date: a vendor correction of the close (+3 %), range kept consistent.
    const close = panel.close[r] * 1.03;
    out.push({
      region: 'us',
      date: dayNumber,
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
    });
    r += 7; // not two neighbours
  }
  return out;
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
  settleMs = 60_000,
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
