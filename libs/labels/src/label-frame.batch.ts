import type { BarPanel, LabelFrame } from '@alphafeed/core';
import { carriedRowOffsets, forEachDate } from '@alphafeed/features';
import { LabelEngine } from './label.engine';
import type { LabelOptions } from './label.options';

/**
 * Labels of a whole panel (SPEC §4) by feeding its dates one at a time
 * through the incremental `LabelEngine`; each released label is written into
 * its origin row. Rows whose `t + k` lies past the calendar are never
 * released and stay NaN. The output is allocated once from the carry-forward
 * count without membership (exact without a membership table, an upper
 * bound with one); each date's first row is recorded when the date closes,
 * before any of its labels can be released.
 */
export function computeLabelFrame(bars: BarPanel, options: Partial<LabelOptions> = {}): LabelFrame {
  const engine = new LabelEngine(options);
  const calendarLength = bars.calendar.length;
  const capacity = carriedRowOffsets(
    bars.date,
    bars.instrument,
    calendarLength,
    bars.instruments.length,
    engine.options.ffillLimit,
  )[calendarLength];
  const date = new Int32Array(capacity);
  const instrument = new Int32Array(capacity);
  const carried = new Uint8Array(capacity);
  const labels = engine.horizons.map(() => new Float64Array(capacity).fill(NaN));
  const firstRow = new Int32Array(calendarLength);
  let cursor = 0;
  forEachDate(bars, (d, slice) => {
    const step = engine.closeDate(d, slice);
    const n = step.rows.length;
    firstRow[d] = cursor;
    date.fill(d, cursor, cursor + n);
    instrument.set(step.rows.instrument, cursor);
    carried.set(step.rows.carried, cursor);
    cursor += n;
    for (let h = 0; h < step.released.length; h++) {
      const release = step.released[h];
      labels[engine.horizons.indexOf(release.horizon)].set(release.values, firstRow[release.dateIndex]);
    }
  });
  return {
    calendar: bars.calendar,
    instruments: bars.instruments,
    horizons: engine.horizons,
    length: cursor,
    date: date.subarray(0, cursor),
    instrument: instrument.subarray(0, cursor),
    carried: carried.subarray(0, cursor),
    labels: labels.map((column) => column.subarray(0, cursor)),
  };
}
