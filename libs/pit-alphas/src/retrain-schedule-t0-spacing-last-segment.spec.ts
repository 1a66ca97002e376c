/**
 * Scenario: the retrain schedule of SPEC §9. T0 is the first date at which
 * the dates with a matured longest-horizon label number at least
 * min_train_dates; retrains follow every retrain_every positions while a
 * date is left to score; the segments (T_j, T_{j+1}] cover every date after
 * T0 exactly once, the last one ending at the last date. Checked against a
 * brute-force twin (count per candidate T from the definition) on random
 * flags, on hand-made cases and on golden case c's real frames.
 */
import { alignLabels } from '@alphafeed/training';
import { Rng } from '@alphafeed/core';
import { PitInputError } from './errors';
import { pointInTimeSchedule } from './point-in-time-alphas';
import { retrainSchedule, type RetrainSchedule } from './retrain-schedule';
import { goldenCFrames, tinyConfig } from './testing/golden-c-frames';

const cal = (n: number): string[] => Array.from({ length: n }, (_, i) => `d${i}`);

/** The definition, literally: for each T, count labelled dates d with d + k <= T. */
function bruteForceT0(labelled: Uint8Array, k: number, min: number): number {
  for (let T = 0; T < labelled.length; T++) {
    let count = 0;
    for (let d = 0; d + k <= T; d++) count += labelled[d];
    if (count >= min) return T;
  }
  return -1;
}

/** Every date after T0 scored by exactly one model, the one with the last retrain date before it; none up to T0. */
function expectPartition(s: RetrainSchedule, n: number): void {
  const owners = Array.from({ length: n }, () => [] as number[]);
  for (let j = 0; j < s.retrainDates.length; j++)
    for (let d = s.retrainDates[j] + 1; d <= s.ends[j]; d++) owners[d].push(j);
  const wrong: string[] = [];
  for (let d = 0; d < n; d++) {
    let latest = -1;
    s.retrainDates.forEach((T, j) => (T < d ? (latest = j) : undefined));
    const expected = d <= s.t0 ? [] : [latest];
    if (owners[d].join() !== expected.join())
      wrong.push(`date ${d}: models [${owners[d]}], expected [${expected}]`);
  }
  expect(wrong).toEqual([]);
}

test('hand-made: labelled dates 3, 4, 6, 7, horizon 2, 4 dates needed → T0 = 7 + 2 = 9', () => {
  const labelled = Uint8Array.from([0, 0, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0, 0]);
  const s = retrainSchedule(labelled, 2, cal(13), { retrainEvery: 3, minTrainDates: 4 });
  // The 4th labelled date (7) matures at 7 + 2; a retrain at 12 (the last date) would score nothing.
  expect(s.t0).toBe(9);
  expect(Array.from(s.retrainDates)).toEqual([9]);
  expect(Array.from(s.ends)).toEqual([12]);
  expect(s.trainDatesAtT0).toBe(4);
  const every1 = retrainSchedule(labelled, 2, cal(13), { retrainEvery: 1, minTrainDates: 4 });
  expect(Array.from(every1.retrainDates)).toEqual([9, 10, 11]);
  expect(Array.from(every1.ends)).toEqual([10, 11, 12]);
});

test('a retrain on the last date is not scheduled (nothing to score); a one-date last segment is', () => {
  const labelled = new Uint8Array(20).fill(1);
  // T0 = 5 + 0 (horizon 1, 5 dates → d = 4, T0 = 5); last = 19.
  const exact = retrainSchedule(labelled, 1, cal(20), { retrainEvery: 7, minTrainDates: 5 });
  expect(exact.t0).toBe(5);
  expect(Array.from(exact.retrainDates)).toEqual([5, 12]);
  expect(Array.from(exact.ends)).toEqual([12, 19]);
  const oneLeft = retrainSchedule(labelled, 1, cal(20), { retrainEvery: 13, minTrainDates: 5 });
  expect(Array.from(oneLeft.retrainDates)).toEqual([5, 18]);
  expect(Array.from(oneLeft.ends)).toEqual([18, 19]);
});

test('random flags: T0 equals the brute-force count; spacing and the partition of the scored dates hold', () => {
  const rng = new Rng(42);
  for (let trial = 0; trial < 300; trial++) {
    const n = 20 + rng.int(200);
    const density = rng.uniform();
    const labelled = Uint8Array.from({ length: n }, () => (rng.uniform() < density ? 1 : 0));
    const k = 1 + rng.int(30);
    const min = 1 + rng.int(60);
    const every = 1 + rng.int(40);
    const t0 = bruteForceT0(labelled, k, min);
    if (t0 < 0 || t0 >= n - 1) {
      expect(() => retrainSchedule(labelled, k, cal(n), { retrainEvery: every, minTrainDates: min })).toThrow(
        PitInputError,
      );
      continue;
    }
    const s = retrainSchedule(labelled, k, cal(n), { retrainEvery: every, minTrainDates: min });
    expect(s.t0).toBe(t0);
    expect(s.retrainDates[0]).toBe(t0);
    for (let j = 1; j < s.retrainDates.length; j++)
      expect(s.retrainDates[j] - s.retrainDates[j - 1]).toBe(every);
    expect(s.retrainDates[s.retrainDates.length - 1]).toBeLessThan(n - 1);
    expect(s.ends[s.ends.length - 1]).toBe(n - 1);
    expectPartition(s, n);
  }
});

test('too little history and bad options are refused with one line', () => {
  const few = Uint8Array.from([1, 1, 1, 0, 0, 0]);
  expect(() => retrainSchedule(few, 2, cal(6), { minTrainDates: 4 })).toThrow(
    /too little history for point-in-time alphas: 6 calendar dates \(d0 \.\. d5\) give 3 dates with a matured 2d label, min_train_dates is 4/,
  );
  // Enough labels only by the last date: nothing left to score.
  expect(() => retrainSchedule(Uint8Array.from([1, 1, 1, 1, 0, 0]), 2, cal(6), { minTrainDates: 4 })).toThrow(
    /the first training \(min_train_dates 4\) is at the last date d5, so no date is left to score/,
  );
  for (const bad of [0, -1, 2.5, NaN]) {
    expect(() => retrainSchedule(few, 1, cal(6), { retrainEvery: bad })).toThrow(
      /retrain_every must be an integer >= 1/,
    );
    expect(() => retrainSchedule(few, 1, cal(6), { minTrainDates: bad })).toThrow(
      /min_train_dates must be an integer >= 1/,
    );
  }
});

test('golden c: T0 is where 504 dates with a matured 63d label are first visible; default spacing 63', () => {
  const { features, labels } = goldenCFrames();
  const s = pointInTimeSchedule({ features, labels, config: tinyConfig() });
  // Independently: distinct dates of feature rows with a non-NaN 63d label, in order.
  const y63 = alignLabels(features, labels)[1];
  const dates = [...new Set(Array.from(features.date).filter((_, i) => !Number.isNaN(y63[i])))].sort(
    (a, b) => a - b,
  );
  expect(s.t0).toBe(dates[503] + 63);
  expect(s.trainDatesAtT0).toBe(504);
  expect(features.calendar[s.t0]).toBe('2013-02-21');
  expect(Array.from(s.retrainDates)).toEqual([s.t0, s.t0 + 63, s.t0 + 126]);
  expect(Array.from(s.ends)).toEqual([s.t0 + 63, s.t0 + 126, 999]);
  expectPartition(s, features.calendar.length);
});
