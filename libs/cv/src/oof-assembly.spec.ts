/**
 * OOF assembly: walk-forward leaves the first block uncovered and takes each
 * sample's single test prediction; cpcv averages the phi predictions of a
 * sample and gives it its group as fold id.
 */
import { cpcvSplits } from './cpcv.splitter';
import { CvInputError } from './errors';
import { assembleOof } from './oof';
import { walkForwardSplits } from './walk-forward.splitter';

const dates = Int32Array.from({ length: 2400 }, (_, i) => Math.floor(i / 2)); // 1200 dates x 2 rows

describe('walk-forward OOF', () => {
  const plan = walkForwardSplits(dates, { horizon: 21 });
  // Prediction of split s for row r: 1000 * s + r, so a wrong fold or row shows.
  const preds = plan.splits.map((s) => Float64Array.from(s.testRows, (r) => 1000 * s.foldId + r));
  const oof = assembleOof(2400, plan.splits, preds);

  it('leaves the first, train-only block uncovered (NaN, fold id -1)', () => {
    const firstTestRow = plan.splits[0].testRows[0];
    expect(firstTestRow).toBe(400);
    for (let r = 0; r < firstTestRow; r++) {
      expect(Number.isNaN(oof.prediction[r])).toBe(true);
      expect(oof.foldId[r]).toBe(-1);
    }
    expect(oof.coverage).toBe(2000 / 2400);
  });

  it('takes each covered sample from the fold that tested it', () => {
    for (let r = 400; r < 2400; r++) {
      const fold = Math.floor((r - 400) / 400);
      expect(oof.foldId[r]).toBe(fold);
      expect(oof.prediction[r]).toBe(1000 * fold + r);
      expect(oof.timesTested[r]).toBe(1);
    }
  });
});

describe('cpcv OOF', () => {
  const plan = cpcvSplits(dates, { horizon: 21 });
  const preds = plan.splits.map((s) => Float64Array.from(s.testRows, () => s.foldId));
  const oof = assembleOof(2400, plan.splits, preds);

  it('covers every sample, phi times, with its group as fold id', () => {
    expect(oof.coverage).toBe(1);
    for (let r = 0; r < 2400; r++) {
      expect(oof.timesTested[r]).toBe(plan.nPaths);
      expect(oof.foldId[r]).toBe(Math.floor(r / 400));
    }
  });

  it('averages the predictions of the splits that test a sample', () => {
    // Group g is tested by the splits whose combination contains g.
    for (let g = 0; g < 6; g++) {
      const ids = plan.splits.filter((s) => s.testGroups.includes(g)).map((s) => s.foldId);
      const mean = ids.reduce((a, b) => a + b, 0) / ids.length;
      expect(oof.prediction[400 * g + 7]).toBeCloseTo(mean, 12);
    }
  });
});

describe('bad OOF input', () => {
  const plan = walkForwardSplits(dates, { horizon: 21 });
  const ok = plan.splits.map((s) => new Float64Array(s.testRows.length));

  it('one prediction array per split, aligned with testRows', () => {
    expect(() => assembleOof(2400, plan.splits, ok.slice(1))).toThrow(CvInputError);
    const short = ok.slice();
    short[2] = new Float64Array(3);
    expect(() => assembleOof(2400, plan.splits, short)).toThrow(/aligned with testRows/);
  });

  it('NaN predictions, rows out of range, conflicting fold ids', () => {
    const nan = ok.map((a) => a.slice());
    nan[1][5] = NaN;
    expect(() => assembleOof(2400, plan.splits, nan)).toThrow(/NaN/);
    expect(() => assembleOof(1000, plan.splits, ok)).toThrow(/outside/);
    const twice = [
      plan.splits[0],
      { ...plan.splits[0], testFoldIds: new Int32Array(plan.splits[0].testRows.length).fill(9) },
    ];
    expect(() => assembleOof(2400, twice, [ok[0], ok[0]])).toThrow(/fold ids 0 and 9/);
  });
});
