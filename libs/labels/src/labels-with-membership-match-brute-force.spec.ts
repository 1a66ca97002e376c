/**
 * SPEC §1 with §4: with a membership table the labelled rows are the
 * members' (carry-forward only into member dates), R_{g,d} is the mean over
 * the members' returns, and an instrument's own return counts on every bar,
 * member or not (a label of a member at t runs on after it leaves the index).
 */
import { computeFeatureFrame } from '@alphafeed/features';
import { computeLabelFrame } from './label-frame.batch';
import { bruteForceLabels } from './testing/brute-force-labels';
import { agrees, randomMembership, randomPanel } from '@alphafeed/testing';

describe('labels with index membership equal the brute-force SPEC loop', () => {
  it.each([
    [41, 24, 160, 3, [1, 21]],
    [42, 16, 130, 2, [5, 63]],
  ])(
    'seed %i: %i instruments x %i dates, %i industries, horizons %j',
    (seed, instruments, dates, industries, horizons) => {
      const panel = randomPanel({ instruments, dates, industries, seed });
      const spells = randomMembership(panel, seed, [40, 41]);
      const frame = computeLabelFrame(panel, { horizons, membership: spells.oracle });
      const expected = bruteForceLabels(panel, horizons, 5, spells.member);
      expect(frame.length).toBe(expected.length);
      expect(frame.length).toBeLessThan(computeLabelFrame(panel, { horizons }).length);
      let defined = 0;
      expected.forEach((row, r) => {
        expect([frame.date[r], frame.instrument[r], frame.carried[r]]).toEqual([
          row.date,
          row.instrument,
          row.carried ? 1 : 0,
        ]);
        row.labels.forEach((value, h) => {
          if (!agrees(frame.labels[h][r], value))
            throw new Error(
              `label_${horizons[h]} date ${row.date} instrument ${row.instrument}: ${frame.labels[h][r]} vs ${value}`,
            );
          if (!Number.isNaN(value)) defined++;
        });
      });
      expect(defined).toBeGreaterThan(100);
    },
  );

  it('labels the same rows as the feature engine before its NaN drop', () => {
    const panel = randomPanel({ instruments: 20, dates: 90, industries: 2, seed: 43 });
    const spells = randomMembership(panel, 43);
    const labels = computeLabelFrame(panel, { horizons: [5], membership: spells.oracle });
    const features = computeFeatureFrame(panel, { features: ['rev_1m'], membership: spells.oracle });
    const labelKeys = new Set(Array.from(labels.date, (d, r) => `${d}:${labels.instrument[r]}`));
    for (let r = 0; r < features.length; r++)
      expect(labelKeys.has(`${features.date[r]}:${features.instrument[r]}`)).toBe(true);
    expect(features.length).toBeGreaterThan(100);
  });
});
