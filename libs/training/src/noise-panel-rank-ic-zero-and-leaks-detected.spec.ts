/**
 * Scenario: on a pure-noise panel the OOF rank IC is indistinguishable from
 * 0, and the same statistic flags deliberately leaking variants — so the
 * test can fail. Statistic: the mean per-date Spearman IC of the OOF
 * predictions, with a t-statistic over non-overlapping blocks of k dates
 * (consecutive labels share k-1 returns, so per-date ICs are autocorrelated
 * and a naive t over dates would be inflated by about sqrt(k)).
 * Threshold |t| < 3 for "indistinguishable"; a leak must give t > 5.
 *
 * Leaks: (1) the 21-day label copied into a feature; (2) tomorrow's return
 * as a feature (a one-day peek, a much subtler leak: it explains ~1/21 of
 * the label's variance).
 */
import { rankIcStat, smallConfig, syntheticPanel, type PanelOptions } from './testing/synthetic-frames';
import { trainModel2 } from './train-model2';

function oofRankIc(
  options: PanelOptions,
  model: 'ridge' | 'xgb',
): { mean: number; t: number; blocks: number } {
  const panel = syntheticPanel({ instruments: 40, dates: 900, horizons: [21], ...options });
  const r = trainModel2({ ...panel, config: smallConfig({ labels: { horizons: [21] } }, 20) });
  try {
    const h = r.horizons[0];
    const oof = h.oof[model];
    if (oof === undefined) throw new Error('no OOF');
    return rankIcStat(oof.prediction, h.samples.label, h.samples.dates, 21);
  } finally {
    r.dispose();
  }
}

describe.each(['ridge', 'xgb'] as const)('%s OOF rank IC', (model) => {
  test.each([1, 2])('pure noise (seed %i): indistinguishable from 0', (seed) => {
    const s = oofRankIc({ seed }, model);
    console.log(
      `noise seed ${seed} ${model}: rank IC ${s.mean.toFixed(4)}, t ${s.t.toFixed(2)} over ${s.blocks} blocks`,
    );
    expect(s.blocks).toBeGreaterThanOrEqual(20);
    expect(Math.abs(s.t)).toBeLessThan(3);
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
  });

  test('leak: the label copied into a feature is detected', () => {
    const s = oofRankIc({ seed: 1, leak: 'label' }, model);
    console.log(`label leak ${model}: rank IC ${s.mean.toFixed(4)}, t ${s.t.toFixed(2)}`);
    expect(s.t).toBeGreaterThan(5);
    expect(s.mean).toBeGreaterThan(0.5);
  });

  test("leak: tomorrow's return as a feature is detected", () => {
    const s = oofRankIc({ seed: 1, leak: 'next-day' }, model);
    console.log(`next-day leak ${model}: rank IC ${s.mean.toFixed(4)}, t ${s.t.toFixed(2)}`);
    expect(s.t).toBeGreaterThan(5);
  });
});
