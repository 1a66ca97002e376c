import { Rng } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { forEachDate } from '@alphafeed/features';
import { computeLabelFrame } from './label-frame.batch';
import { LABEL_LOOK_BACK, LabelEngine } from './label.engine';
import { filterPanel, randomPanel } from '@alphafeed/testing';

describe('labels look forward k dates and are released only at the close of t + k', () => {
  it('declares its look-forward (the longest horizon) and look-back 0', () => {
    expect(new LabelEngine().lookForward).toBe(63);
    expect(new LabelEngine({ horizons: [5, 21] }).lookForward).toBe(21);
    expect(new LabelEngine().lookBack).toBe(LABEL_LOOK_BACK);
    expect(LABEL_LOOK_BACK).toBe(0);
  });

  it('releases label_k for t exactly when t + k closes, once, for every row of t', () => {
    const panel = randomPanel({ instruments: 12, dates: 100, industries: 2, seed: 9 });
    const engine = new LabelEngine({ horizons: [3, 21] });
    const rowsPerDate: number[] = [];
    const released = new Map<string, number>();
    forEachDate(panel, (d, slice) => {
      const step = engine.closeDate(d, slice);
      rowsPerDate[d] = step.rows.length;
      for (const release of step.released) {
        expect(release.dateIndex).toBe(d - release.horizon);
        expect(release.length).toBe(rowsPerDate[release.dateIndex]);
        const key = `${release.horizon}@${release.dateIndex}`;
        expect(released.has(key)).toBe(false);
        released.set(key, d);
      }
      // Nothing for an origin whose t + k has not closed yet.
      for (const k of [3, 21]) expect(released.has(`${k}@${d - k + 1}`)).toBe(false);
    });
    expect(released.size).toBe(100 - 3 + 100 - 21);
  });

  it('a label for t depends on bars up to t + k only: later bars change nothing, a bar at t + k does', () => {
    const panel = randomPanel({ instruments: 15, dates: 120, industries: 3, seed: 10 });
    const k = 21;
    const t = 50;
    const before = computeLabelFrame(panel, { horizons: [k] });
    const at = (frame: typeof before, date: number): number[] => {
      const out: number[] = [];
      for (let r = 0; r < frame.length; r++) if (frame.date[r] === date) out.push(frame.labels[0][r]);
      return out;
    };
    const scrambled = scrambleAfter(panel, t + k, 1);
    expect(at(computeLabelFrame(scrambled, { horizons: [k] }), t)).toEqual(at(before, t));
    const moved = scrambleAfter(panel, t + k - 1, 2);
    expect(at(computeLabelFrame(moved, { horizons: [k] }), t)).not.toEqual(at(before, t));
  });
});

function scrambleAfter(panel: BarPanel, t: number, seed: number): BarPanel {
  const rng = new Rng(seed);
  const kept = filterPanel(panel, (row) => panel.date[row] <= t || rng.uniform() > 0.2);
  for (let row = 0; row < kept.length; row++)
    if (kept.date[row] > t) kept.close[row] *= Math.exp(0.2 * rng.normal());
  return kept;
}
