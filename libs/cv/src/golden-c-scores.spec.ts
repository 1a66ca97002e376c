/**
 * Golden case c: the SPEC §7 scores computed from the golden OOF predictions
 * and labels reproduce `cv_scores.jsonl` to 1e-9 relative (counts exactly).
 *
 * Walk-forward: every fold is scored (its test rows are exactly the OOF rows
 * of that fold id). cpcv: the golden files keep only the OOF mean over the phi
 * splits, not each split's own predictions, so per-split ic/rank_ic/mse/r2
 * cannot be recomputed from them; there the per-fold counts and the OOF
 * scores are checked.
 */
import { cpcvSplits } from './cpcv.splitter';
import { scoreOof, scoreRecords, scoreSplit, type ScoreRecord } from './scores';
import type { CvPlan } from './split.types';
import { walkForwardSplits } from './walk-forward.splitter';
import {
  HORIZONS,
  MODELS,
  VARIANTS,
  agrees,
  goldenOof,
  goldenSamples,
  goldenScores,
  type GoldenScore,
} from './testing/golden-c.spec-helper';

function expectRecords(mine: ScoreRecord[], golden: GoldenScore[]): void {
  expect(mine.map((r) => r.metric)).toEqual(golden.map((r) => r.metric));
  for (let i = 0; i < mine.length; i++) {
    const { metric, value } = golden[i];
    if (metric === 'n_train' || metric === 'n_test') {
      expect(mine[i].value).toBe(value);
    } else if (!agrees(mine[i].value, value)) {
      throw new Error(
        `${golden[i].model} ${golden[i].horizon} fold ${golden[i].fold_id} ${metric}: ${mine[i].value} vs golden ${value}`,
      );
    }
  }
}

describe.each(VARIANTS)('golden case c, %s scores', (variant) => {
  const all = goldenScores(variant);
  const pick = (model: string, horizon: number, fold: number | 'oof'): GoldenScore[] =>
    all.filter((r) => r.model === model && r.horizon === `${horizon}d` && r.fold_id === fold);

  describe.each(HORIZONS)('horizon %i', (horizon) => {
    const s = goldenSamples(horizon);
    const plan: CvPlan =
      variant === 'cpcv'
        ? cpcvSplits(s.sampleDates, { horizon, calendar: s.calendar })
        : walkForwardSplits(s.sampleDates, { horizon, calendar: s.calendar });

    it.each(MODELS)('%s: OOF scores (fold_id "oof")', (model) => {
      const g = goldenOof(variant, model, horizon);
      const byKey = new Map(g.keys.map((k, i) => [k, g.prediction[i]]));
      const prediction = Float64Array.from(s.keys, (k) => byKey.get(k) ?? NaN);
      const mine = scoreRecords(model, `${horizon}d`, 'oof', scoreOof(prediction, s.label, s.sampleDates));
      const golden = pick(model, horizon, 'oof');
      expect(golden).toHaveLength(5);
      expectRecords(mine, golden);
    });

    it.each(MODELS)('%s: per-fold scores', (model) => {
      const g = goldenOof(variant, model, horizon);
      const byKey = new Map(g.keys.map((k, i) => [k, g.prediction[i]]));
      for (const split of plan.splits) {
        const golden = pick(model, horizon, split.foldId);
        expect(golden).toHaveLength(6);
        const counts = golden
          .filter((r) => r.metric === 'n_train' || r.metric === 'n_test')
          .map((r) => r.value);
        expect(counts).toEqual([split.trainRows.length, split.testRows.length]);
        if (variant === 'cpcv') continue;
        const p = Float64Array.from(split.testRows, (r) => byKey.get(s.keys[r]) as number);
        const mine = scoreRecords(
          model,
          `${horizon}d`,
          split.foldId,
          scoreSplit(split, p, s.label, s.sampleDates),
        );
        expectRecords(mine, golden);
      }
    });
  });
});
