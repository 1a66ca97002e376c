/**
 * Golden case c: both splitters reproduce `splits.json` field for field, the
 * brute-force checker accepts every fold, and OOF assembly gives the golden
 * OOF files' rows and fold ids.
 */
import { assembleOof } from './oof';
import { assertEmbargo } from './embargo.check';
import { cpcvSplits } from './cpcv.splitter';
import { horizonSplitsReport } from './split-report';
import type { CvPlan } from './split.types';
import { walkForwardSplits } from './walk-forward.splitter';
import { HORIZONS, VARIANTS, goldenOof, goldenSamples, goldenSplits } from './testing/golden-c.spec-helper';

function plan(variant: string, horizon: number): CvPlan {
  const s = goldenSamples(horizon);
  return variant === 'cpcv'
    ? cpcvSplits(s.sampleDates, { horizon, calendar: s.calendar })
    : walkForwardSplits(s.sampleDates, { horizon, calendar: s.calendar });
}

describe.each(VARIANTS)('golden case c, %s splits', (variant) => {
  const golden = goldenSplits(variant);

  it('uses the golden run settings (embargo 63, default split counts)', () => {
    expect(golden.embargo_days).toBe(63);
    if (variant === 'cpcv') {
      expect([golden.n_groups, golden.n_test_groups]).toEqual([6, 2]);
    } else {
      expect(golden.n_splits).toBe(5);
    }
  });

  describe.each(HORIZONS)('horizon %i', (horizon) => {
    const expected = golden.horizons[`${horizon}d`];
    const p = plan(variant, horizon);
    const oof = assembleOof(
      p.nSamples,
      p.splits,
      p.splits.map((s) => new Float64Array(s.testRows.length)),
    );
    const report = horizonSplitsReport(p, oof.coverage);

    it('reproduces every field of every fold, in the golden key order', () => {
      expect(report.folds).toEqual(expected.folds);
      report.folds.forEach((f, i) => expect(Object.keys(f)).toEqual(Object.keys(expected.folds[i])));
    });

    it('reproduces n_samples, n_dates, groups and oof_coverage', () => {
      expect(report.n_samples).toBe(expected.n_samples);
      expect(report.n_dates).toBe(expected.n_dates);
      expect(report.oof_coverage).toBe(expected.oof_coverage);
      if (variant === 'cpcv') expect(report.groups).toEqual(expected.groups);
      expect(Object.keys(report)).toEqual(Object.keys(expected));
    });

    it('passes the brute-force embargo and purge check on every fold', () => {
      const s = goldenSamples(horizon);
      for (const split of p.splits) assertEmbargo(split, s.sampleDates, { horizon, embargoDays: 63 });
    });

    it('covers exactly the golden OOF rows, with the golden fold ids', () => {
      const s = goldenSamples(horizon);
      const g = goldenOof(variant, 'ridge', horizon);
      const covered: string[] = [];
      const ids: number[] = [];
      for (let r = 0; r < p.nSamples; r++) {
        if (oof.foldId[r] === -1) continue;
        covered.push(s.keys[r]);
        ids.push(oof.foldId[r]);
      }
      expect(covered).toEqual(g.keys);
      expect(Int32Array.from(ids)).toEqual(g.foldId);
    });
  });
});
