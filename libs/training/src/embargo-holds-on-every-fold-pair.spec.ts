/**
 * Scenario: in a real training run (both CV methods, both horizons), every
 * fold the orchestrator fitted respects SPEC §5 — checked pair by pair over
 * (train date, test date) by an independent brute force written here, not
 * by the splitter's own logic: at least 63 trading days strictly between
 * any train and test date, and no train label window (t, t+k] reaching a
 * test date. The check is shown to fail on a fold with one leaked row.
 */
import { smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2, type TrainResult } from './train-model2';

/** Violations of the rule in one fold; O(train dates × test dates). */
function violations(trainDates: Set<number>, testDates: Set<number>, k: number, embargo: number): string[] {
  const out: string[] = [];
  for (const a of trainDates) {
    for (const b of testDates) {
      if (Math.abs(b - a) - 1 < embargo) out.push(`train ${a} / test ${b}: gap ${Math.abs(b - a) - 1}`);
      else if (a < b && a + k >= b) out.push(`train ${a}: label window reaches test ${b}`);
    }
  }
  return out;
}

function dateSet(rows: Int32Array, dates: Int32Array): Set<number> {
  return new Set(Array.from(rows, (r) => dates[r]));
}

describe.each(['walk_forward', 'cpcv'] as const)('%s', (method) => {
  let result: TrainResult;
  beforeAll(() => {
    const panel = syntheticPanel({ instruments: 20, dates: 700, seed: 3 });
    result = trainModel2({ ...panel, config: smallConfig({ cv: { method } }, 5) });
  });
  afterAll(() => result?.dispose());

  test('every (train date, test date) pair of every fold and horizon respects the embargo and the purge', () => {
    let folds = 0;
    for (const h of result.horizons) {
      for (const split of h.cvPlan.splits) {
        const v = violations(
          dateSet(split.trainRows, h.samples.dates),
          dateSet(split.testRows, h.samples.dates),
          h.horizon,
          63,
        );
        expect(v).toEqual([]);
        expect(split.trainRows.length).toBeGreaterThanOrEqual(100);
        expect(split.testRows.length).toBeGreaterThanOrEqual(100);
        folds++;
      }
    }
    expect(folds).toBe(method === 'cpcv' ? 30 : 10);
  });

  test('the checker catches one train row added next to a test block', () => {
    const h = result.horizons[0];
    const split = h.cvPlan.splits[1];
    // The first sample right after the end of a test block: inside the embargo by construction.
    const test = new Set(split.testRows);
    const next = split.testRows.find(
      (row) => !test.has(row + 1) && row + 1 < h.samples.rows.length,
    ) as number;
    const leaked = Int32Array.from([...split.trainRows, next + 1]);
    const v = violations(
      dateSet(leaked, h.samples.dates),
      dateSet(split.testRows, h.samples.dates),
      h.horizon,
      63,
    );
    expect(v.length).toBeGreaterThan(0);
  });
});
