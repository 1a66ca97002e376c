import type { BarPanel, LabelFrame } from '@alphafeed/core';
import { carriedRowOffsets, forEachDate } from '@alphafeed/features';
import { LabelEngine } from './label.engine';
import type { LabelOptions } from './label.options';

/**
 * Labels of a whole panel (SPEC §4) by feeding its dates one at a time
 * through the incremental `LabelEngine`; each released label is written into
 * its origin row. Rows whose `t + k` lies past the calendar are never
 * released and stay NaN. Output allocated once from the carry-forward count.
 */
export function computeLabelFrame(bars: BarPanel, options: Partial<LabelOptions> = {}): LabelFrame {
  const engine = new LabelEngine(options);
  const calendarLength = bars.calendar.length;
  const offsets = carriedRowOffsets(
    bars.date,
    bars.instrument,
    calendarLength,
    bars.instruments.length,
    engine.options.ffillLimit,
  );
  const total = offsets[calendarLength];
  const date = new Int32Array(total);
  const instrument = new Int32Array(total);
  const carried = new Uint8Array(total);
  const labels = engine.horizons.map(() => new Float64Array(total).fill(NaN));
  forEachDate(bars, (d, slice) => {
    const step = engine.closeDate(d, slice);
    const start = offsets[d];
    date.fill(d, start, start + step.rows.length);
    instrument.set(step.rows.instrument, start);
    carried.set(step.rows.carried, start);
    for (let h = 0; h < step.released.length; h++) {
      const release = step.released[h];
      labels[engine.horizons.indexOf(release.horizon)].set(release.values, offsets[release.dateIndex]);
    }
  });
  return {
    calendar: bars.calendar,
    instruments: bars.instruments,
    horizons: engine.horizons,
    length: total,
    date,
    instrument,
    carried,
    labels,
  };
}
