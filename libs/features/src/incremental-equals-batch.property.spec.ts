import fc from 'fast-check';
import { Rng } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { computeFeatureFrame, forEachDate } from './feature-frame.batch';
import { FEATURE_NAMES } from './feature-names';
import type { FeatureName } from './feature-names';
import { FeatureEngine } from './feature.engine';
import { agrees, randomPanel } from '@alphafeed/testing';

const SHORT_FEATURES: FeatureName[] = [
  'rev_1m',
  'ma_gap_20',
  'rsi_14',
  'vol_20',
  'vlm_ratio_5_20',
  'amihud_20',
];

/**
 * Feeds the panel's dates one at a time to a fresh engine, each date's bars
 * in a random order (bars arrive keyed by instrument in any order, SPEC §8),
 * and checks every emitted row against the batch frame.
 */
function expectIncrementalEqualsBatch(panel: BarPanel, features: FeatureName[], seed: number): void {
  const batch = computeFeatureFrame(panel, { features });
  const engine = new FeatureEngine({
    features,
    hasSharesOut: panel.sharesOut !== null,
    hasAmount: panel.amount !== null,
  });
  const rng = new Rng(seed);
  let cursor = 0;
  forEachDate(panel, (d, slice) => {
    const order = Array.from({ length: slice.length }, (_, b) => b);
    for (let b = order.length - 1; b > 0; b--) {
      const j = rng.int(b + 1);
      [order[b], order[j]] = [order[j], order[b]];
    }
    const permuted = <T extends Int32Array | Float64Array>(column: T): T =>
      column.map((_, b) => column[order[b]]) as T;
    const rows = engine.closeDate(d, {
      length: slice.length,
      instrument: permuted(slice.instrument),
      industry: permuted(slice.industry),
      close: permuted(slice.close),
      volume: permuted(slice.volume),
      amount: slice.amount ? permuted(slice.amount) : null,
      sharesOut: slice.sharesOut ? permuted(slice.sharesOut) : null,
    });
    for (let r = 0; r < rows.length; r++, cursor++) {
      expect([
        batch.date[cursor],
        batch.instrument[cursor],
        batch.industry[cursor],
        batch.carried[cursor],
      ]).toEqual([d, rows.instrument[r], rows.industry[r], rows.carried[r]]);
      for (let f = 0; f < features.length; f++) {
        if (!agrees(rows.features[f][r], batch.features[f][cursor])) {
          throw new Error(
            `${features[f]} date ${d} row ${r}: incremental ${rows.features[f][r]}, batch ${batch.features[f][cursor]}`,
          );
        }
      }
      for (const [a, b] of [
        [rows.beta252[r], batch.beta252[cursor]],
        [rows.size[r], batch.size[cursor]],
        [rows.momentum[r], batch.momentum[cursor]],
      ]) {
        expect(agrees(a, b)).toBe(true);
      }
    }
  });
  expect(cursor).toBe(batch.length);
}

describe('feeding dates one at a time through the engine gives the batch result (1e-9 relative)', () => {
  it('holds on random panels with listings, delistings, suspensions and tiny industries', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          instruments: fc.integer({ min: 1, max: 25 }),
          dates: fc.integer({ min: 1, max: 70 }),
          industries: fc.integer({ min: 1, max: 6 }),
          sharesOut: fc.boolean(),
          amount: fc.boolean(),
        }),
        (p) => {
          const panel = randomPanel(p);
          expectIncrementalEqualsBatch(panel, SHORT_FEATURES, p.seed);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('holds for all model features on a panel long enough to define them', () => {
    expectIncrementalEqualsBatch(
      randomPanel({ instruments: 20, dates: 300, industries: 4, seed: 7, sharesOut: true }),
      [...FEATURE_NAMES],
      7,
    );
  });
});
