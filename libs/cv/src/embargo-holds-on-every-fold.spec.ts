/**
 * On random sample layouts (calendar holes, uneven cross-sections) every fold
 * of both splitters passes the brute-force checker, and the train set equals
 * a naive twin that applies the SPEC §5 rule to every (train, test) date pair
 * directly — so the splitters drop what they must and nothing more. The
 * checker itself is shown to reject each kind of violation.
 */
import { Rng } from '@alphafeed/core';
import { assertEmbargo } from './embargo.check';
import { cpcvSplits } from './cpcv.splitter';
import { EmbargoViolationError } from './errors';
import type { CvSplit } from './split.types';
import { walkForwardSplits } from './walk-forward.splitter';

/** Sample dates on a calendar of `length` positions with holes, 1–5 rows per date. */
function randomLayout(rng: Rng, length: number): Int32Array {
  const out: number[] = [];
  let p = 0;
  while (p < length) {
    if (rng.uniform() < 0.02) {
      p += 1 + rng.int(120); // a long hole: calendar dates with no samples
      continue;
    }
    if (rng.uniform() < 0.9) {
      const rows = 1 + rng.int(5);
      for (let i = 0; i < rows; i++) out.push(p);
    }
    p++;
  }
  return Int32Array.from(out);
}

function unique(dates: Int32Array): number[] {
  return [...new Set(dates)];
}

/** Naive twin: train dates allowed by every test date, by the definition. */
function naiveTrainDates(
  allDates: number[],
  testDates: number[],
  horizon: number,
  embargo: number,
  onlyBefore: boolean,
): number[] {
  const test = new Set(testDates);
  const firstTest = Math.min(...testDates);
  return allDates.filter((a) => {
    if (test.has(a)) return false;
    if (onlyBefore && a > firstTest) return false;
    return testDates.every((b) => Math.abs(b - a) - 1 >= embargo && !(a < b && b <= a + horizon));
  });
}

function rowsOf(dates: Int32Array, keep: number[]): number[] {
  const set = new Set(keep);
  const rows: number[] = [];
  for (let i = 0; i < dates.length; i++) if (set.has(dates[i])) rows.push(i);
  return rows;
}

const cases: Array<[number, number, number]> = [];
for (const seed of [1, 2, 3]) {
  cases.push([seed, 21, 63], [seed, 63, 63], [seed, 100, 90]);
}

describe.each(cases)('layout seed %i, horizon %i, embargo %i', (seed, horizon, embargo) => {
  const sampleDates = randomLayout(new Rng(seed), 1500);
  const all = unique(sampleDates);

  const check = (split: CvSplit, onlyBefore: boolean): void => {
    assertEmbargo(split, sampleDates, { horizon, embargoDays: embargo });
    const testDates = unique(Int32Array.from(split.testRows, (r) => sampleDates[r]));
    const expected = naiveTrainDates(all, testDates, horizon, embargo, onlyBefore);
    expect(Array.from(split.trainDates)).toEqual(expected);
    expect(Array.from(split.trainRows)).toEqual(rowsOf(sampleDates, expected));
  };

  it('walk-forward: every fold passes the checker and equals the naive twin', () => {
    const plan = walkForwardSplits(sampleDates, { horizon, embargoDays: embargo, minFoldSamples: 1 });
    expect(plan.splits).toHaveLength(5);
    for (const split of plan.splits) check(split, true);
  });

  it.each([
    [6, 2],
    [5, 1],
    [5, 3],
  ])('cpcv N = %i, k = %i: every split passes the checker and equals the naive twin', (n, k) => {
    const plan = cpcvSplits(sampleDates, {
      horizon,
      embargoDays: embargo,
      nGroups: n,
      nTestGroups: k,
      minFoldSamples: 1,
    });
    for (const split of plan.splits) check(split, false);
  });
});

describe('the checker rejects every kind of violation', () => {
  const dates = Int32Array.from({ length: 1200 }, (_, i) => i);
  const wf = walkForwardSplits(dates, { horizon: 21 }).splits[2];
  const q = wf.testDates[0];
  const withTrain = (split: CvSplit, extra: number[]): CvSplit => ({
    ...split,
    trainRows: Int32Array.from([...split.trainRows, ...extra].sort((a, b) => a - b)),
  });

  it('accepts the untouched split', () => {
    expect(() => assertEmbargo(wf, dates, { horizon: 21 })).not.toThrow();
  });

  it('a train date 62 trading days before the test block breaks the embargo', () => {
    expect(() => assertEmbargo(withTrain(wf, [q - 63]), dates, { horizon: 21 })).toThrow(
      EmbargoViolationError,
    );
    expect(() => assertEmbargo(withTrain(wf, [q - 63]), dates, { horizon: 21 })).toThrow(/62 trading days/);
  });

  it('a train label window reaching the test block breaks the purge even when the embargo holds', () => {
    const split = withTrain(wf, [q - 80]); // 79 days between: embargo of 63 holds
    expect(() => assertEmbargo(split, dates, { horizon: 100 })).toThrow(/label window/);
  });

  it('a train date shortly after a cpcv test group breaks the embargo', () => {
    const split = cpcvSplits(dates, { horizon: 21 }).splits[0]; // tests groups 0 and 1 = positions 0..399
    expect(() => assertEmbargo(withTrain(split, [400 + 62]), dates, { horizon: 21 })).toThrow(
      EmbargoViolationError,
    );
    expect(() => assertEmbargo(withTrain(split, [400 + 63]), dates, { horizon: 21 })).not.toThrow();
  });

  it('a row on both sides, or outside the samples, is rejected', () => {
    expect(() => assertEmbargo(withTrain(wf, [wf.testRows[0]]), dates, { horizon: 21 })).toThrow(
      /both a train and a test row/,
    );
    expect(() => assertEmbargo(withTrain(wf, [5000]), dates, { horizon: 21 })).toThrow(/not a sample row/);
  });

  it('carries the stable error code', () => {
    try {
      assertEmbargo(withTrain(wf, [q - 1]), dates, { horizon: 21 });
      throw new Error('expected a violation');
    } catch (e) {
      expect((e as EmbargoViolationError).code).toBe('CV_EMBARGO_VIOLATION');
    }
  });
});
