/**
 * Scenario: on a panel with a planted, causal signal (feature 0 shifts the
 * mean of the next 21 returns) the OOF rank IC is clearly positive for both
 * base models, and so is the calibrated stacked OOF alpha: the statistic of
 * the noise spec, here required to exceed t = 5.
 */
import { scoreOof } from '@alphafeed/cv';
import { rankIcStat, smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2, type TrainResult } from './train-model2';

let r: TrainResult;
beforeAll(() => {
  const panel = syntheticPanel({ instruments: 40, dates: 900, horizons: [21], signal: 0.3, seed: 4 });
  r = trainModel2({ ...panel, config: smallConfig({ labels: { horizons: [21] } }, 20) });
});
afterAll(() => r?.dispose());

test.each(['ridge', 'xgb'] as const)('%s: OOF rank IC clearly positive', (model) => {
  const h = r.horizons[0];
  const oof = h.oof[model];
  if (oof === undefined) throw new Error('no OOF');
  const s = rankIcStat(oof.prediction, h.samples.label, h.samples.dates, 21);
  console.log(`signal ${model}: rank IC ${s.mean.toFixed(4)}, t ${s.t.toFixed(2)}`);
  expect(s.t).toBeGreaterThan(5);
  expect(s.mean).toBeGreaterThan(0.05);
  // The logged OOF score line says the same.
  const line = r.scores.find((x) => x.model === model && x.fold_id === 'oof' && x.metric === 'rank_ic');
  expect(line?.value).toBeCloseTo(s.mean, 10);
});

test('calibrated stacked OOF alpha has a positive rank IC and the combination weight is 1 for one horizon', () => {
  const h = r.horizons[0];
  const dates = Int32Array.from(h.stacking.covered, (s) => h.samples.dates[s]);
  const score = scoreOof(h.stacking.alpha, h.stacking.labelBps, dates);
  expect(score.rank_ic).toBeGreaterThan(0.05);
  expect(Array.from(r.models.weights)).toEqual([1]);
});
