import { Rng } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { computeFeatureFrame, computeRawFeatures } from './feature-frame.batch';
import { modelFeatureNames } from './feature-names';
import { FeatureEngine } from './feature.engine';
import { FEATURE_LOOK_BACK_BARS, FEATURE_LOOK_FORWARD, MAX_LOOK_BACK_BARS } from './look-window';
import { filterPanel, randomPanel } from '@alphafeed/testing';

/** The panel with every bar after calendar position t moved at random, and some removed. */
function scrambleAfter(panel: BarPanel, t: number, seed: number): BarPanel {
  const rng = new Rng(seed);
  const kept = filterPanel(panel, (row) => panel.date[row] <= t || rng.uniform() > 0.2);
  for (let row = 0; row < kept.length; row++) {
    if (kept.date[row] <= t) continue;
    kept.close[row] *= Math.exp(0.3 * rng.normal());
    kept.volume[row] = rng.int(5000);
    kept.industry[row] = rng.int(panel.industries.length);
  }
  return kept;
}

describe('features look forward 0 days', () => {
  it('declares look-forward 0 and the SPEC look-backs', () => {
    expect(FEATURE_LOOK_FORWARD).toBe(0);
    expect(new FeatureEngine().lookForward).toBe(0);
    expect(new FeatureEngine().lookBackBars).toBe(253);
    expect(MAX_LOOK_BACK_BARS).toBe(Math.max(...Object.values(FEATURE_LOOK_BACK_BARS)));
  });

  it('each feature is first defined exactly at its declared look-back (bars needed)', () => {
    const panel = randomPanel({ instruments: 1, dates: 300, industries: 1, seed: 3, sharesOut: true });
    // A clean single-instrument history: no suspension matters (windows count bars), but volumes must be > 0.
    for (let row = 0; row < panel.length; row++) panel.volume[row] = 100 + row;
    const raw = computeRawFeatures(panel);
    for (const [name, bars] of Object.entries(FEATURE_LOOK_BACK_BARS)) {
      const column = raw.columns[raw.names.indexOf(name)];
      expect([name, column.findIndex((v) => !Number.isNaN(v)) + 1]).toEqual([name, bars]);
    }
  });

  it('changing or removing any bar after t changes no feature at or before t', () => {
    const panel = randomPanel({ instruments: 16, dates: 420, industries: 3, seed: 5, sharesOut: true });
    const features = modelFeatureNames(true);
    const before = computeFeatureFrame(panel, { features });
    const rawBefore = computeRawFeatures(panel);
    for (const t of [340, 380, 410]) {
      const after = computeFeatureFrame(scrambleAfter(panel, t, t), { features });
      let r = 0;
      let differences = 0;
      for (; r < before.length && before.date[r] <= t; r++) {
        if (after.instrument[r] !== before.instrument[r]) differences++;
        for (let f = 0; f < features.length; f++)
          if (!Object.is(after.features[f][r], before.features[f][r])) differences++;
        if (!Object.is(after.beta252[r], before.beta252[r])) differences++;
      }
      expect(differences).toBe(0);
      expect(r).toBeGreaterThan(100);
      expect(after.date[r]).toBeGreaterThan(t);
      // And something after t did change, so the comparison above is not vacuous.
      expect(after.features[0].subarray(r).join()).not.toBe(before.features[0].subarray(r).join());
      const rawAfter = computeRawFeatures(scrambleAfter(panel, t, t));
      let rawDifferences = 0;
      for (let row = 0; row < panel.length && panel.date[row] <= t; row++) {
        for (let c = 0; c < rawBefore.columns.length; c++)
          if (!Object.is(rawAfter.columns[c][row], rawBefore.columns[c][row])) rawDifferences++;
      }
      expect(rawDifferences).toBe(0);
    }
  });
});
