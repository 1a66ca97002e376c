/**
 * cpcv: numpy.array_split group sizes, C(N, k) splits in lexicographic
 * order, phi paths, and train dates dropped around every test group.
 */
import { arraySplitSizes, binomial, combinations, cpcvSplits } from './cpcv.splitter';

const range = (a: number, b: number): number[] => Array.from({ length: b - a }, (_, i) => a + i);
function samplesOn(positions: number[], perDate = 1): Int32Array {
  const out: number[] = [];
  for (const p of positions) for (let i = 0; i < perDate; i++) out.push(p);
  return Int32Array.from(out);
}

describe('array_split group sizes', () => {
  it.each([
    [727, 6, [122, 121, 121, 121, 121, 121]],
    [685, 6, [115, 114, 114, 114, 114, 114]],
    [10, 3, [4, 3, 3]],
    [11, 4, [3, 3, 3, 2]],
    [12, 6, [2, 2, 2, 2, 2, 2]],
    [5, 5, [1, 1, 1, 1, 1]],
  ])('M = %i, N = %i', (m, n, sizes) => {
    expect(Array.from(arraySplitSizes(m, n))).toEqual(sizes);
  });
});

describe('combinations in lexicographic order', () => {
  it('C(6, 2): (0,1), (0,2), …, (4,5), 15 of them', () => {
    const c = combinations(6, 2);
    expect(c).toHaveLength(15);
    expect(c.slice(0, 6)).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [0, 4],
      [0, 5],
      [1, 2],
    ]);
    expect(c[14]).toEqual([4, 5]);
  });

  it('C(5, 3) is strictly increasing lexicographically and complete', () => {
    const c = combinations(5, 3);
    expect(c).toHaveLength(binomial(5, 3));
    for (let i = 1; i < c.length; i++) {
      const a = c[i - 1].join(',');
      const b = c[i].join(',');
      expect(a < b).toBe(true);
    }
    expect(new Set(c.map((x) => x.join(','))).size).toBe(10);
  });

  it('binomial and phi = k/N * C(N, k)', () => {
    expect([binomial(6, 2), binomial(6, 3), binomial(10, 4), binomial(4, 5)]).toEqual([15, 20, 210, 0]);
    const plan = cpcvSplits(samplesOn(range(0, 1200), 2), { horizon: 21 });
    expect(plan.splits).toHaveLength(15);
    expect(plan.nPaths).toBe((2 / 6) * 15);
    expect(plan.splits.map((s) => s.testGroups)).toEqual(combinations(6, 2));
  });
});

describe('cpcv train dates around test groups', () => {
  // 1200 contiguous dates, 6 groups of 200: group g covers positions [200g, 200g + 200).
  const plan = cpcvSplits(samplesOn(range(0, 1200), 2), { horizon: 21 });

  it('drops the 63 dates before and after each test group, nothing else', () => {
    const split = plan.splits[combinations(6, 2).findIndex((c) => c.join() === '1,3')];
    const expected = [...range(0, 200 - 63), ...range(400 + 63, 600 - 63), ...range(800 + 63, 1200)];
    expect(Array.from(split.trainDates)).toEqual(expected);
    expect(Array.from(split.testDates)).toEqual([...range(200, 400), ...range(600, 800)]);
    expect(split.report.purged_or_embargoed_samples).toBe(
      2400 - split.trainRows.length - split.testRows.length,
    );
    expect(split.report.test_groups).toEqual([1, 3]);
  });

  it('a horizon longer than the embargo purges more before a group, not after', () => {
    const long = cpcvSplits(samplesOn(range(0, 1200), 2), { horizon: 100 });
    const split = long.splits[combinations(6, 2).findIndex((c) => c.join() === '1,3')];
    const expected = [...range(0, 200 - 100), ...range(400 + 63, 600 - 100), ...range(800 + 63, 1200)];
    expect(Array.from(split.trainDates)).toEqual(expected);
  });

  it('tags each test row with its group and tests every sample in phi splits', () => {
    const times = new Int32Array(2400);
    for (const s of plan.splits) {
      for (let j = 0; j < s.testRows.length; j++) {
        const r = s.testRows[j];
        times[r]++;
        expect(s.testFoldIds[j]).toBe(Math.floor(r / 400));
      }
    }
    expect(times.every((t) => t === plan.nPaths)).toBe(true);
  });

  it('reports the groups and the golden key order', () => {
    expect(plan.groups.map((g) => [g.group, g.first, g.last, g.dates])).toEqual(
      range(0, 6).map((g) => [g, String(200 * g), String(200 * g + 199), 200]),
    );
    expect(Object.keys(plan.splits[0].report)).toEqual([
      'fold_id',
      'test_groups',
      'train_first',
      'train_last',
      'train_dates',
      'test_first',
      'test_last',
      'test_dates',
      'n_train',
      'n_test',
      'purged_or_embargoed_samples',
    ]);
  });
});
