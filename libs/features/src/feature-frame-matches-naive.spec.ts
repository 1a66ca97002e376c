import { computeFeatureFrame } from './feature-frame.batch';
import { modelFeatureNames } from './feature-names';
import type { FeatureName } from './feature-names';
import { naiveFeatureRows } from './testing/naive-features';
import { agrees, randomPanel } from '@alphafeed/testing';

const SHORT_FEATURES: FeatureName[] = [
  'rev_1m',
  'ma_gap_20',
  'rsi_14',
  'vol_20',
  'vlm_ratio_5_20',
  'amihud_20',
  'turnover_20',
];

describe('preprocessed feature frame equals the naive pipeline (carry, NaN drop, sorted percentiles, filtered z-scores)', () => {
  it.each([
    ['short features, 40 instruments, small industries', SHORT_FEATURES, 40, 120, 9, 21],
    ['all model features, 30 instruments', modelFeatureNames(true), 30, 330, 4, 22],
  ])('%s', (_label, features, instruments, dates, industries, seed) => {
    const panel = randomPanel({ instruments, dates, industries, seed, sharesOut: true });
    const frame = computeFeatureFrame(panel, { features });
    const naive = naiveFeatureRows(panel, features);
    expect(frame.length).toBe(naive.length);
    expect(frame.length).toBeGreaterThan(200);
    let carriedRows = 0;
    naive.forEach((row, r) => {
      expect([frame.date[r], frame.instrument[r], frame.industry[r], frame.carried[r]]).toEqual([
        row.date,
        row.instrument,
        row.industry,
        row.carried ? 1 : 0,
      ]);
      if (row.carried) carriedRows++;
      row.features.forEach((z, f) => {
        if (!agrees(frame.features[f][r], z)) {
          throw new Error(
            `${features[f]} at date ${row.date} instrument ${row.instrument}: got ${frame.features[f][r]}, naive ${z}`,
          );
        }
      });
      expect(agrees(frame.beta252[r], row.beta)).toBe(true);
      expect(agrees(frame.size[r], row.size)).toBe(true);
      expect(agrees(frame.momentum[r], row.momentum)).toBe(true);
      expect(agrees(frame.vol60![r], row.vol60)).toBe(true);
    });
    expect(carriedRows).toBeGreaterThan(0);
  });
});
