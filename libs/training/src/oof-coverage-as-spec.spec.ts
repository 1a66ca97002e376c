/**
 * Scenario: OOF coverage is what SPEC §5 states. Walk-forward: every sample
 * from the first test date on is covered exactly once with fold_id = its test
 * block, the first (train-only) block of floor-remainder dates is not covered;
 * cpcv: every sample is covered by phi = C(N-1, k-1) = 5 splits, coverage
 * 100 %, fold_id = its group. Stacking and var_k use exactly the covered rows.
 */
import { smallConfig, syntheticPanel } from './testing/synthetic-frames';
import { trainModel2, type TrainResult } from './train-model2';

const panel = syntheticPanel({ instruments: 20, dates: 640, seed: 9 });

describe('walk_forward coverage', () => {
  let r: TrainResult;
  beforeAll(() => (r = trainModel2({ ...panel, config: smallConfig({}, 5) })));
  afterAll(() => r?.dispose());

  test.each([0, 1])('horizon #%i: covered from the first test block on, once, fold_id = block', (k) => {
    const h = r.horizons[k];
    const dates = [...new Set(h.samples.dates)];
    const m = dates.length;
    const testSize = Math.floor(m / 6);
    const firstTestDate = dates[m - 5 * testSize];
    for (const model of ['ridge', 'xgb'] as const) {
      const oof = h.oof[model];
      if (oof === undefined) throw new Error('no OOF');
      let covered = 0;
      for (let s = 0; s < h.samples.rows.length; s++) {
        const d = h.samples.dates[s];
        if (d < firstTestDate) {
          expect(oof.timesTested[s]).toBe(0);
          expect(oof.foldId[s]).toBe(-1);
          expect(Number.isNaN(oof.prediction[s])).toBe(true);
        } else {
          covered++;
          expect(oof.timesTested[s]).toBe(1);
          expect(oof.foldId[s]).toBe(Math.floor((dates.indexOf(d) - (m - 5 * testSize)) / testSize));
        }
      }
      expect(oof.coverage).toBeCloseTo(covered / h.samples.rows.length, 15);
      expect(h.stacking.covered.length).toBe(covered);
    }
    expect(h.splitsReport.oof_coverage).toBeLessThan(1);
  });
});

describe('cpcv coverage', () => {
  let r: TrainResult;
  beforeAll(() => (r = trainModel2({ ...panel, config: smallConfig({ cv: { method: 'cpcv' } }, 5) })));
  afterAll(() => r?.dispose());

  test.each([0, 1])('horizon #%i: every sample covered by phi = 5 splits, fold_id = its group', (k) => {
    const h = r.horizons[k];
    expect(h.cvPlan.nPaths).toBe(5);
    const groupOfDate = new Map<number, number>();
    const dates = [...new Set(h.samples.dates)];
    h.cvPlan.groups.forEach((g) => {
      const first = dates.indexOf(r.frame.calendar.indexOf(g.first));
      for (let u = first; u < first + g.dates; u++) groupOfDate.set(dates[u], g.group);
    });
    for (const model of ['ridge', 'xgb'] as const) {
      const oof = h.oof[model];
      if (oof === undefined) throw new Error('no OOF');
      expect(oof.coverage).toBe(1);
      for (let s = 0; s < h.samples.rows.length; s++) {
        expect(oof.timesTested[s]).toBe(5);
        expect(oof.foldId[s]).toBe(groupOfDate.get(h.samples.dates[s]));
      }
    }
    expect(h.stacking.covered.length).toBe(h.samples.rows.length);
    expect(h.splitsReport.oof_coverage).toBe(1);
  });
});
