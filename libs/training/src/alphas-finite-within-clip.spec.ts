/**
 * Scenario: every published alpha is finite and within ±alpha_clip_bps, the
 * logged clip count is the number of calibrated/neutralised values outside
 * it, and neutralised alphas are zero-mean per date (SPEC §6). A panel with
 * huge label variance forces clipping so the count is exercised; a smaller
 * clip shows the bound follows the config.
 */
import { smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2 } from './train-model2';

test.each([
  [1000, 0.02],
  [1000, 0.6],
  [25, 0.02],
])('clip ±%i bps, daily vol %f: alphas finite, bounded, counted; zero-mean per date', (clip, vol) => {
  const panel = syntheticPanel({ instruments: 25, dates: 600, signal: 0.5, vol, seed: 21 });
  const r = trainModel2({ ...panel, config: smallConfig({ alpha_clip_bps: clip }, 10) });
  try {
    const p = r.predictions;
    const cols = { alpha_21d: p.alphas[0], alpha_63d: p.alphas[1], alpha_combined: p.combined };
    for (const [name, col] of Object.entries(cols)) {
      expect(col).toHaveLength(r.frame.length);
      let atBound = 0;
      for (let i = 0; i < col.length; i++) {
        expect(Number.isFinite(col[i])).toBe(true);
        expect(Math.abs(col[i])).toBeLessThanOrEqual(clip);
        if (Math.abs(col[i]) === clip) atBound++;
      }
      expect(p.clipped[name]).toBeLessThanOrEqual(atBound);
    }
    if (vol > 0.1 || clip < 100)
      expect(p.clipped.alpha_21d + p.clipped.alpha_63d + p.clipped.alpha_combined).toBeGreaterThan(0);
    if (p.clipped.alpha_combined === 0) {
      // Unclipped neutralised alphas sum to 0 on every date (up to rounding).
      const sums = new Map<number, number>();
      for (let i = 0; i < r.frame.length; i++)
        sums.set(r.frame.date[i], (sums.get(r.frame.date[i]) ?? 0) + p.combined[i]);
      for (const s of sums.values()) expect(Math.abs(s)).toBeLessThan(1e-6);
    }
  } finally {
    r.dispose();
  }
});
