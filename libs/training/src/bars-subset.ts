/**
 * The bars a run trains on: the config's date range (`data.start_date`,
 * `data.end_date`) and, in a debug run, only the first N instruments (in
 * code order) and the first N dates of what is left (`training.debug`), so
 * that `train --debug` finishes in seconds on any source. One pass over the
 * bars, O(bars); dictionaries are re-indexed so the subset panel is
 * self-contained.
 */
import { selectPanelRows } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { TrainingInputError } from './errors';

export interface BarsSubset {
  readonly startDate?: string | null;
  readonly endDate?: string | null;
  /** Keep the first N instruments (sorted codes). */
  readonly instruments?: number;
  /** Keep the first N calendar dates (after the date range). */
  readonly dates?: number;
}

export function subsetBars(panel: BarPanel, subset: BarsSubset): BarPanel {
  const cal = panel.calendar;
  let d0 = 0;
  let d1 = cal.length; // exclusive
  if (subset.startDate) while (d0 < d1 && cal[d0] < subset.startDate) d0++;
  if (subset.endDate) while (d1 > d0 && cal[d1 - 1] > subset.endDate) d1--;
  if (subset.dates !== undefined) d1 = Math.min(d1, d0 + subset.dates);
  const nInst = Math.min(panel.instruments.length, subset.instruments ?? panel.instruments.length);
  if (d0 === 0 && d1 === cal.length && nInst === panel.instruments.length) return panel;
  if (d1 <= d0) {
    throw new TrainingInputError(
      'NO_MATURED_LABELS',
      `no bar dates left between ${subset.startDate ?? 'the start'} and ${subset.endDate ?? 'the end'} ` +
        `(the data covers ${cal[0]} .. ${cal[cal.length - 1]}); widen data.start_date / data.end_date.`,
    );
  }
  // Instruments are sorted codes, so "the first N" are codes 0..N-1.
  const keep: number[] = [];
  for (let i = 0; i < panel.length; i++) {
    const d = panel.date[i];
    if (d >= d0 && d < d1 && panel.instrument[i] < nInst) keep.push(i);
  }
  if (keep.length === 0) {
    throw new TrainingInputError(
      'NO_MATURED_LABELS',
      `the subset of ${nInst} instruments and dates ${cal[d0]} .. ${cal[d1 - 1]} has no bars.`,
    );
  }
  // The calendar is the union of the kept bars' dates (SPEC §1), so a date
  // whose only bars belonged to dropped instruments leaves the calendar too.
  const used = new Int32Array(cal.length).fill(-1);
  for (const i of keep) used[panel.date[i]] = 0;
  const calendar: string[] = [];
  for (let d = d0; d < d1; d++) if (used[d] === 0) used[d] = calendar.push(cal[d]) - 1;
  const rows = selectPanelRows(panel, Int32Array.from(keep));
  const date = rows.date; // a fresh array: re-indexed in place to the subset's calendar
  for (let j = 0; j < date.length; j++) date[j] = used[date[j]];
  return { ...rows, calendar, instruments: panel.instruments.slice(0, nInst) };
}
