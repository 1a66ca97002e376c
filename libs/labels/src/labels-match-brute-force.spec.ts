import { computeLabelFrame } from './label-frame.batch';
import { bruteForceLabels } from './testing/brute-force-labels';
import { agrees, randomPanel } from '@alphafeed/testing';

describe('labels equal a brute-force loop over the SPEC definition', () => {
  it.each([
    [1, 18, 160, 3, [21, 63]],
    [2, 30, 120, 6, [1, 5, 21]],
    [3, 8, 90, 1, [2, 63]],
  ])(
    'seed %i: %i instruments x %i dates, %i industries, horizons %j (suspensions, delistings, industry changes)',
    (seed, instruments, dates, industries, horizons) => {
      const panel = randomPanel({ instruments, dates, industries, seed });
      const frame = computeLabelFrame(panel, { horizons });
      const expected = bruteForceLabels(panel, horizons);
      expect(frame.length).toBe(expected.length);
      let defined = 0;
      let carriedDefined = 0;
      expected.forEach((row, r) => {
        expect([frame.date[r], frame.instrument[r], frame.carried[r]]).toEqual([
          row.date,
          row.instrument,
          row.carried ? 1 : 0,
        ]);
        row.labels.forEach((value, h) => {
          if (!agrees(frame.labels[h][r], value)) {
            throw new Error(
              `label_${horizons[h]} date ${row.date} instrument ${row.instrument}: got ${frame.labels[h][r]}, brute force ${value}`,
            );
          }
          if (!Number.isNaN(value)) {
            defined++;
            if (row.carried) carriedDefined++;
          }
        });
      });
      expect(defined).toBeGreaterThan(100);
      expect(carriedDefined).toBeGreaterThan(0);
    },
  );
});
