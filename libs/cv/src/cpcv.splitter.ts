/**
 * Combinatorial purged CV (SPEC §5, `cv.method: cpcv`, after López de Prado):
 * the M unique sample dates are cut into N contiguous groups as
 * `numpy.array_split` does (the first `M mod N` groups one date longer), and
 * every combination of k groups, in lexicographic order, is a test set.
 * Train dates are dropped when they lie within `embargoDays` trading days
 * before or after a test group, or when their label window (t, t+k] reaches
 * into one; distances are calendar positions.
 *
 * Cost: O(C(N,k) * (M * k + rows)).
 */
import { CvInputError, TooManySplitsError } from './errors';
import { checkFoldSize, indexSampleDates, resolveOptions, rowsOfDates } from './sample-dates';
import type { CvPlan, CvSplit, GroupReport, SplitterOptions } from './split.types';

export const DEFAULT_N_GROUPS = 6;
export const DEFAULT_N_TEST_GROUPS = 2;

export interface CpcvOptions extends SplitterOptions {
  /** N, default 6. */
  readonly nGroups?: number;
  /** k test groups per split, default 2; 1 <= k < N. */
  readonly nTestGroups?: number;
}

/** Group sizes of `numpy.array_split(range(m), n)`: the first `m mod n` groups get one extra. */
export function arraySplitSizes(m: number, n: number): Int32Array {
  const sizes = new Int32Array(n);
  const base = Math.floor(m / n);
  const extra = m % n;
  for (let g = 0; g < n; g++) sizes[g] = base + (g < extra ? 1 : 0);
  return sizes;
}

/** All k-subsets of {0..n-1} in lexicographic order (as `itertools.combinations`). */
export function combinations(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = new Array<number>(k);
  const rec = (start: number, depth: number): void => {
    if (depth === k) {
      out.push(pick.slice());
      return;
    }
    for (let v = start; v <= n - (k - depth); v++) {
      pick[depth] = v;
      rec(v + 1, depth + 1);
    }
  };
  rec(0, 0);
  return out;
}

/** Binomial coefficient C(n, k) for the small n of a CV plan (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

export function cpcvSplits(sampleDates: Int32Array, options: CpcvOptions): CvPlan {
  const index = indexSampleDates(sampleDates, options.calendar?.length);
  const nGroups = options.nGroups ?? DEFAULT_N_GROUPS;
  const k = options.nTestGroups ?? DEFAULT_N_TEST_GROUPS;
  if (!Number.isInteger(nGroups) || nGroups < 2) {
    throw new CvInputError(`nGroups must be an integer >= 2, got ${nGroups}.`);
  }
  if (!Number.isInteger(k) || k < 1 || k >= nGroups) {
    throw new CvInputError(
      `nTestGroups must be an integer in [1, nGroups - 1] = [1, ${nGroups - 1}], got ${k}; ` +
        `with k = N nothing is left to train on.`,
    );
  }
  const { unique, rowStart } = index;
  const m = unique.length;
  if (m < nGroups) {
    throw new TooManySplitsError(
      `cpcv with nGroups = ${nGroups} needs at least ${nGroups} unique sample dates, got ${m}; ` +
        `use fewer groups or more history.`,
    );
  }
  const opts = resolveOptions(options, index);
  const { horizon, embargoDays, label } = opts;

  // Group g covers unique-date ordinals [groupBegin[g], groupBegin[g + 1]).
  const sizes = arraySplitSizes(m, nGroups);
  const groupBegin = new Int32Array(nGroups + 1);
  for (let g = 0; g < nGroups; g++) groupBegin[g + 1] = groupBegin[g] + sizes[g];
  const groups: GroupReport[] = [];
  for (let g = 0; g < nGroups; g++) {
    groups.push({
      group: g,
      first: label(unique[groupBegin[g]]),
      last: label(unique[groupBegin[g + 1] - 1]),
      dates: sizes[g],
    });
  }

  const splits: CvSplit[] = [];
  const combos = combinations(nGroups, k);
  for (let fold = 0; fold < combos.length; fold++) {
    const testGroups = combos[fold];
    const isTest = new Uint8Array(m);
    for (const g of testGroups) for (let u = groupBegin[g]; u < groupBegin[g + 1]; u++) isTest[u] = 1;

    const keepTrain = new Uint8Array(m);
    for (let u = 0; u < m; u++) {
      if (isTest[u] === 1) continue;
      const t = unique[u];
      let keep = true;
      for (const g of testGroups) {
        const a = unique[groupBegin[g]];
        const b = unique[groupBegin[g + 1] - 1];
        if (t < a) {
          // Before the group: embargo, and the label window (t, t+k] must end before it.
          if (a - t - 1 < embargoDays || t + horizon >= a) keep = false;
        } else if (t - b - 1 < embargoDays) {
          // After the group (t > b, since t is not a test date and groups are contiguous).
          keep = false;
        }
        if (!keep) break;
      }
      if (keep) keepTrain[u] = 1;
    }
    const train = rowsOfDates(index, keepTrain);
    const test = rowsOfDates(index, isTest);
    checkFoldSize(fold, train.rows.length, test.rows.length, opts.minFoldSamples);

    const testFoldIds = new Int32Array(test.rows.length);
    let r = 0;
    for (const g of testGroups) {
      const count = rowStart[groupBegin[g + 1]] - rowStart[groupBegin[g]];
      testFoldIds.fill(g, r, r + count);
      r += count;
    }
    splits.push({
      foldId: fold,
      trainRows: train.rows,
      testRows: test.rows,
      testFoldIds,
      trainDates: train.dates,
      testDates: test.dates,
      testGroups: testGroups.slice(),
      report: {
        fold_id: fold,
        test_groups: testGroups.slice(),
        train_first: label(train.dates[0]),
        train_last: label(train.dates[train.dates.length - 1]),
        train_dates: train.dates.length,
        test_first: label(test.dates[0]),
        test_last: label(test.dates[test.dates.length - 1]),
        test_dates: test.dates.length,
        n_train: train.rows.length,
        n_test: test.rows.length,
        purged_or_embargoed_samples: sampleDates.length - train.rows.length - test.rows.length,
      },
    });
  }
  return {
    method: 'cpcv',
    horizon,
    embargoDays,
    nSamples: sampleDates.length,
    nDates: m,
    // phi = k/N * C(N, k) = C(N-1, k-1): the number of splits that test any one group.
    nPaths: binomial(nGroups - 1, k - 1),
    groups,
    splits,
  };
}
