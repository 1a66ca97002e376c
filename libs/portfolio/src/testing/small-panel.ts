/**
 * Test support: a small synthetic panel (bars, its feature frame) and a
 * seeded alpha table on the frame's real rows from a given date, sized so
 * that the risk model has specific variances (63 residuals) before the first
 * decision and a dozen rebalances run in a few seconds.
 */
import { parseConfig, type RegionConfig } from '@alphafeed/config';
import { Rng, type BarPanel, type FeatureFrame } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeFeatureFrame } from '@alphafeed/features';
import type { AlphaColumns } from '../step-inputs';

export interface SmallPanel {
  readonly config: RegionConfig;
  readonly bars: BarPanel;
  readonly frame: FeatureFrame;
  readonly alphas: AlphaColumns;
}

export function smallPanel(
  region: 'us' | 'cn',
  options: { instruments?: number; years?: number; alphasFrom?: number; seed?: number } = {},
): SmallPanel {
  const config = parseConfig({ region }, 'small-panel');
  const bars = generateSyntheticBars({
    region,
    instruments: options.instruments ?? 60,
    years: options.years ?? 1.7,
    seed: options.seed ?? 42,
  });
  const frame = computeFeatureFrame(bars, { workers: 1 });
  const from = options.alphasFrom ?? 340;
  const rng = new Rng(options.seed ?? 42);
  const date: number[] = [];
  const instrument: number[] = [];
  const alpha: number[] = [];
  for (let r = 0; r < frame.length; r++) {
    if (frame.date[r] < from || frame.carried[r] === 1) continue;
    date.push(frame.date[r]);
    instrument.push(frame.instrument[r]);
    alpha.push(40 * rng.normal());
  }
  const n = date.length;
  return {
    config,
    bars,
    frame,
    alphas: {
      source: 'test',
      length: n,
      date: Int32Array.from(date),
      instrument: Int32Array.from(instrument),
      alphaCombined: Float64Array.from(alpha),
      horizonDays: new Float64Array(n).fill(21),
      model: new Int32Array(n),
      modelIds: ['test-model'],
    },
  };
}
