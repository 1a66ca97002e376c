/**
 * Walk-forward = scikit-learn TimeSeriesSplit on the unique sample dates
 * (hand-computed sklearn outputs), then purge and embargo in calendar
 * positions.
 */
import { walkForwardSplits } from './walk-forward.splitter';

/** `perDate` samples on each of the given calendar positions, sorted. */
function samplesOn(positions: number[], perDate = 1): Int32Array {
  const out: number[] = [];
  for (const p of positions) for (let i = 0; i < perDate; i++) out.push(p);
  return Int32Array.from(out);
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);

describe('walk-forward splits equal TimeSeriesSplit when the embargo does not bite', () => {
  // Dates 1000 calendar positions apart: purge and embargo never drop anything,
  // so train must be every earlier date, as in TimeSeriesSplit.
  const spaced = (m: number): number[] => range(0, m).map((u) => 1000 * u);

  it('10 dates, 3 splits: train [0..3] test [4,5]; [0..5] [6,7]; [0..7] [8,9]', () => {
    const plan = walkForwardSplits(samplesOn(spaced(10)), { nSplits: 3, horizon: 21, minFoldSamples: 1 });
    const blocks = plan.splits.map((s) => [Array.from(s.trainRows), Array.from(s.testRows)]);
    expect(blocks).toEqual([
      [range(0, 4), [4, 5]],
      [range(0, 6), [6, 7]],
      [range(0, 8), [8, 9]],
    ]);
  });

  it('7 dates, 2 splits: the remainder goes to the train-only block (test [3,4], [5,6])', () => {
    const plan = walkForwardSplits(samplesOn(spaced(7)), { nSplits: 2, horizon: 21, minFoldSamples: 1 });
    expect(plan.splits.map((s) => Array.from(s.testRows))).toEqual([
      [3, 4],
      [5, 6],
    ]);
    expect(plan.splits.map((s) => s.trainRows.length)).toEqual([3, 5]);
  });

  it('727 dates, 5 splits (golden c 21d): test blocks of 121 dates after a block of 122', () => {
    const plan = walkForwardSplits(samplesOn(spaced(727)), { horizon: 21, minFoldSamples: 1 });
    expect(plan.splits.map((s) => s.report.test_dates)).toEqual([121, 121, 121, 121, 121]);
    expect(plan.splits.map((s) => s.testRows[0])).toEqual([122, 243, 364, 485, 606]);
  });

  it('splits by date, not by row: all rows of a date fall on one side', () => {
    const plan = walkForwardSplits(samplesOn(spaced(10), 3), { nSplits: 3, horizon: 21, minFoldSamples: 1 });
    expect(Array.from(plan.splits[0].testRows)).toEqual(range(12, 18));
    expect(Array.from(plan.splits[0].trainRows)).toEqual(range(0, 12));
    expect(Array.from(plan.splits[0].testFoldIds)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('walk-forward purge and embargo count calendar positions', () => {
  it('contiguous dates: exactly 63 positions between last train date and first test date', () => {
    const plan = walkForwardSplits(samplesOn(range(0, 1200), 2), { horizon: 21 });
    for (const s of plan.splits) {
      const q = s.testDates[0];
      expect(s.trainDates[s.trainDates.length - 1]).toBe(q - 64);
      expect(s.report.gap_trading_days).toBe(63);
      expect(s.report.purged_or_embargoed_samples).toBe(2 * 63);
    }
  });

  it('a horizon longer than the embargo purges more: idx(t) + k < idx(test_start)', () => {
    const plan = walkForwardSplits(samplesOn(range(0, 1200), 2), { horizon: 100 });
    for (const s of plan.splits) {
      const q = s.testDates[0];
      expect(s.trainDates[s.trainDates.length - 1]).toBe(q - 101);
      expect(s.report.gap_trading_days).toBe(100);
      expect(s.report.purged_or_embargoed_samples).toBe(2 * 100);
    }
  });

  it('calendar dates without samples still count as trading days of the embargo', () => {
    // Samples on positions 0..199 and 300..399 (a hole of 100 calendar dates):
    // M = 300, 2 splits, test blocks of 100 sample dates. Fold 1 tests
    // positions 300..399; in calendar positions the hole already covers the
    // embargo, so train keeps all 200 earlier dates. Counted among sample
    // dates it would keep only ordinals 0..136 (137 dates).
    const dates = [...range(0, 200), ...range(300, 400)];
    const plan = walkForwardSplits(samplesOn(dates), { nSplits: 2, horizon: 21, minFoldSamples: 1 });
    const [first, second] = plan.splits;
    expect(Array.from(second.testDates)).toEqual(range(300, 400));
    expect(Array.from(second.trainDates)).toEqual(range(0, 200));
    expect(second.report.gap_trading_days).toBe(100);
    // Fold 0 tests positions 100..199 (contiguous): train ends at 100 - 64.
    expect(Array.from(first.trainDates)).toEqual(range(0, 37));
    expect(first.report.gap_trading_days).toBe(63);
  });

  it('reports dates through the calendar when one is given', () => {
    const calendar = range(0, 700).map((i) => `d${String(i).padStart(3, '0')}`);
    const plan = walkForwardSplits(samplesOn(range(100, 700), 1), {
      horizon: 21,
      calendar,
      minFoldSamples: 10,
    });
    const r = plan.splits[0].report;
    expect(r.train_first).toBe('d100');
    expect(r.test_first).toBe(calendar[plan.splits[0].testDates[0]]);
    expect(Object.keys(r)).toEqual([
      'fold_id',
      'train_first',
      'train_last',
      'train_dates',
      'test_first',
      'test_last',
      'test_dates',
      'n_train',
      'n_test',
      'purged_or_embargoed_samples',
      'gap_trading_days',
    ]);
  });
});
