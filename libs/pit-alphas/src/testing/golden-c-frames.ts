/**
 * Test-only: golden case c's bars (60 instruments × 1,000 dates, shares_out
 * present) as the frames a point-in-time run takes, computed by the
 * features and labels libs, and a config that keeps every training to a
 * fraction of a second (a few shallow trees, one thread). The SPEC settings
 * that shape the schedule and the CV (horizons 21/63, walk-forward 5 splits,
 * embargo 63) stay at their defaults.
 */
import { join } from 'node:path';
import { loadConfig, overrideConfig, type RegionConfig } from '@alphafeed/config';
import type { BarPanel, FeatureFrame, LabelFrame } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import { filterPanel, readGoldenBars, REPO_ROOT } from '@alphafeed/testing';

export interface Frames {
  readonly bars: BarPanel;
  readonly features: FeatureFrame;
  readonly labels: LabelFrame;
}

let cached: Frames | null = null;

export function goldenCFrames(): Frames {
  if (cached === null) {
    const bars = readGoldenBars('c');
    cached = {
      bars,
      features: computeFeatureFrame(bars),
      labels: computeLabelFrame(bars, { horizons: [21, 63] }),
    };
  }
  return cached;
}

/** config/us.yaml with `trees` shallow trees on one thread, and a patch on top. */
export function tinyConfig(patch: object = {}, trees = 8): RegionConfig {
  const base = loadConfig(join(REPO_ROOT, 'config/us.yaml'));
  const tiny = overrideConfig(
    base,
    { models: { xgboost: { n_estimators: trees, max_depth: 2, nthread: 1 } } },
    'test',
  );
  return overrideConfig(tiny, patch, 'test');
}

let half: Frames | null = null;

/**
 * Golden c cut to its first 30 instruments (same calendar, so the same
 * schedule): half the rows, half the time of a training, still enough
 * samples in every CV fold.
 */
export function goldenCHalfFrames(): Frames {
  if (half === null) {
    const all = goldenCFrames().bars;
    const bars = filterPanel(all, (r) => all.instrument[r] < 30);
    half = {
      bars,
      features: computeFeatureFrame(bars),
      labels: computeLabelFrame(bars, { horizons: [21, 63] }),
    };
  }
  return half;
}
