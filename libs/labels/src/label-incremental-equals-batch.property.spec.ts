import fc from 'fast-check';
import { Rng } from '@alphafeed/core';
import { forEachDate } from '@alphafeed/features';
import { computeLabelFrame } from './label-frame.batch';
import { LabelEngine } from './label.engine';
import { agrees, randomPanel } from '@alphafeed/testing';

describe('feeding dates one at a time through the label engine gives the batch result (1e-9 relative)', () => {
  it('holds on random panels, bars in any order within a date', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          instruments: fc.integer({ min: 1, max: 20 }),
          dates: fc.integer({ min: 1, max: 90 }),
          industries: fc.integer({ min: 1, max: 5 }),
          horizons: fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }),
        }),
        (p) => {
          const panel = randomPanel(p);
          const batch = computeLabelFrame(panel, { horizons: p.horizons });
          const engine = new LabelEngine({ horizons: p.horizons });
          const rng = new Rng(p.seed);
          // Row index of (date, instrument) in the batch frame.
          const index = new Map<string, number>();
          for (let r = 0; r < batch.length; r++) index.set(`${batch.date[r]},${batch.instrument[r]}`, r);
          let checked = 0;
          forEachDate(panel, (d, slice) => {
            const order = Array.from({ length: slice.length }, (_, b) => b).sort(() => rng.uniform() - 0.5);
            const step = engine.closeDate(d, {
              length: slice.length,
              instrument: Int32Array.from(order, (b) => slice.instrument[b]),
              industry: Int32Array.from(order, (b) => slice.industry[b]),
              close: Float64Array.from(order, (b) => slice.close[b]),
            });
            for (const release of step.released) {
              const h = p.horizons.indexOf(release.horizon);
              for (let r = 0; r < release.length; r++) {
                const row = index.get(`${release.dateIndex},${release.instrument[r]}`);
                expect(row).toBeDefined();
                expect(agrees(release.values[r], batch.labels[h][row!])).toBe(true);
                checked++;
              }
            }
          });
          // Every row whose t + k is inside the calendar was released once.
          const expectedChecks = p.horizons.reduce((sum, k) => {
            let rows = 0;
            for (let r = 0; r < batch.length; r++) if (batch.date[r] + k < panel.calendar.length) rows++;
            return sum + rows;
          }, 0);
          expect(checked).toBe(expectedChecks);
        },
      ),
      { numRuns: 40 },
    );
  });
});
