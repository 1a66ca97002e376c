/**
 * Scenario: the point-in-time audit on hand-made tables. A clean table
 * passes; each way an alpha can come from a model that could not have
 * published it is flagged on its own: a training frame with a row after the
 * retrain date, a label that matured after it, an alpha dated on the retrain
 * date itself, an alpha scored by a stale model when a newer one existed,
 * and a model id that does not match the run.
 */
import { concatSegments, type AlphaSegment } from './alpha-table';
import { pointInTimeViolations, type PitTraining } from './point-in-time.audit';
import { handSegment, handTraining } from './testing/hand-made-run';

const calendar = Array.from({ length: 12 }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')}`);
const instruments = ['A', 'B'];

const training = (id: string, T: number, end: number, over: Partial<PitTraining> = {}): PitTraining =>
  handTraining(calendar, 2, id, T, end, over);
const segment = (id: string, from: number, to: number): AlphaSegment => handSegment(2, id, from, to);

const table = (segments: AlphaSegment[]) =>
  concatSegments('point-in-time', calendar, instruments, [2, 3], segments);

test('a point-in-time table passes', () => {
  const t = table([segment('m5', 5, 8), segment('m8', 8, 11)]);
  expect(pointInTimeViolations(t, [training('m5', 5, 8), training('m8', 8, 11)])).toEqual([]);
});

test('a training frame with a feature row after the retrain date is flagged', () => {
  const t = table([segment('m5', 5, 8), segment('m8', 8, 11)]);
  const v = pointInTimeViolations(t, [
    training('m5', 5, 8, { trainingLastPosition: 6 }),
    training('m8', 8, 11),
  ]);
  expect(v).toEqual(['m5 (retrain 2020-01-06) trained on feature rows dated up to 2020-01-07']);
});

test('a label that matured after the retrain date is flagged, per horizon', () => {
  const t = table([segment('m5', 5, 8), segment('m8', 8, 11)]);
  const late = training('m8', 8, 11, {
    horizons: [
      { horizon: 2, samples: 14, lastMaturityPosition: 8 },
      { horizon: 3, samples: 12, lastMaturityPosition: 9 },
    ],
  });
  expect(pointInTimeViolations(t, [training('m5', 5, 8), late])).toEqual([
    'm8 (retrain 2020-01-09) trained on a 3d label that matured on 2020-01-10, after its retrain date',
  ]);
});

test('an alpha dated on its retrain date, or scored by a stale model, is flagged', () => {
  // m5 also scores date 5 (its own retrain date): one row per instrument.
  const onT = table([segment('m5', 4, 8), segment('m8', 8, 11)]);
  const v1 = pointInTimeViolations(onT, [training('m5', 5, 8), training('m8', 8, 11)]);
  expect(v1).toEqual([
    'row 0 (2020-01-06, A) is scored by m5, which scores only (2020-01-06, 2020-01-09]',
    'row 1 (2020-01-06, B) is scored by m5, which scores only (2020-01-06, 2020-01-09]',
  ]);
  // m5 keeps scoring date 9 although m8 (retrained on 8) exists.
  const stale = table([segment('m5', 5, 9), segment('m8', 9, 11)]);
  const v2 = pointInTimeViolations(stale, [training('m5', 5, 8), training('m8', 8, 11)]);
  expect(v2).toHaveLength(2);
  expect(v2[0]).toMatch(
    /^row 6 \(2020-01-10, A\) is scored by m5, which scores only \(2020-01-06, 2020-01-09\]/,
  );
});

test('models that do not follow each other or do not match the run are flagged', () => {
  const t = table([segment('m5', 5, 8), segment('m8', 8, 11)]);
  expect(pointInTimeViolations(t, [training('m5', 5, 7), training('m8', 8, 11)])[0]).toMatch(
    /m8 takes over at 2020-01-09 but the previous model scores up to 2020-01-08/,
  );
  expect(pointInTimeViolations(t, [training('m5', 5, 8), training('other', 8, 11)])[0]).toMatch(
    /model 1 is m8 in the table but other in the run/,
  );
  expect(pointInTimeViolations(t, [training('m5', 5, 11)])).toEqual([
    'the table names 2 models, the run trained 1',
  ]);
});
