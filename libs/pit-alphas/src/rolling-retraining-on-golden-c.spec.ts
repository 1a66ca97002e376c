/**
 * Scenario: the rolling retraining of SPEC §9 on golden case c (first 30
 * instruments, 1,000 dates; few shallow trees so a training takes a second
 * or two; the schedule, CV and calibration at their SPEC defaults: T0 =
 * 2013-02-21, retrains every 63 dates, three models).
 *
 * - No point-in-time alpha comes from a model whose training data was not
 *   visible on the alpha's date. Checked by this test itself from what the
 *   trainer actually fitted (its frame and the sample dates and labels of
 *   every horizon, seen through the `onTrained` hook), for every row; then
 *   a leak is planted (the trainer is handed the frames of one date later)
 *   and both this test's check and the lib's audit fire.
 * - Scoring equals loading the written model set and `predictWithModelSet`.
 * - Determinism and the cache: a run on the data cut 40 dates earlier
 *   trains its own segments; a run on the full data with the same cache
 *   reuses the two whose inputs did not change, retrains the last, and
 *   equals a fresh run bit for bit; a third run trains nothing.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dateOffsets, type FeatureFrame, type LabelFrame } from '@alphafeed/core';
import {
  alignLabels,
  loadModelSet,
  predictWithModelSet,
  writeArtifacts,
  type TrainResult,
} from '@alphafeed/training';
import type { AlphaTable } from './alpha-table';
import { PitLeakError } from './errors';
import { computePointInTimeAlphas, type PitOptions, type PitRun } from './point-in-time-alphas';
import { goldenCHalfFrames, tinyConfig } from './testing/golden-c-frames';
import { scoringFrame, visibleAt, type VisibleFrames } from './visible-at';

/** What one training fitted, read from the trainer's result. */
interface Seen {
  readonly T: number;
  readonly modelId: string;
  readonly frameLast: number;
  /** Per horizon, the largest idx(t) + k over the samples fitted. */
  readonly maturity: Record<number, number>;
  /** Samples whose label differs from the label frame's (a fabricated or shifted label). */
  readonly alteredLabels: number;
}

const { features, labels } = goldenCHalfFrames();
const calendar = features.calendar;
const config = tinyConfig();
const aligned = alignLabels(features, labels);

function observer(
  seen: Seen[],
  also?: (T: number, r: TrainResult) => Promise<void>,
): PitOptions['onTrained'] {
  return async (date, r) => {
    const T = calendar.indexOf(date);
    let frameLast = -1;
    for (let i = 0; i < r.frame.length; i++) frameLast = Math.max(frameLast, r.frame.date[i]);
    const maturity: Record<number, number> = {};
    let altered = 0;
    for (const h of r.horizons) {
      const truth = aligned[labels.horizons.indexOf(h.horizon)];
      let m = -1;
      for (let s = 0; s < h.samples.dates.length; s++) {
        m = Math.max(m, h.samples.dates[s] + h.horizon);
        // Training frames are prefixes of the full frame: sample rows index it directly.
        if (!Object.is(h.samples.label[s], truth[h.samples.rows[s]])) altered++;
      }
      maturity[h.horizon] = m;
    }
    seen.push({ T, modelId: r.modelVersion, frameLast, maturity, alteredLabels: altered });
    await also?.(T, r);
  };
}

/** This test's own point-in-time check: one line per violation. */
function violations(table: AlphaTable | null, seen: readonly Seen[]): string[] {
  const out: string[] = [];
  for (const s of seen) {
    if (s.frameLast > s.T)
      out.push(`${s.modelId}: trained on features dated ${calendar[s.frameLast]} > ${calendar[s.T]}`);
    for (const [k, m] of Object.entries(s.maturity))
      if (m > s.T) out.push(`${s.modelId}: a ${k}d label matured on ${calendar[m]} > ${calendar[s.T]}`);
    if (s.alteredLabels > 0) out.push(`${s.modelId}: ${s.alteredLabels} labels differ from the label frame`);
  }
  if (table === null) return out;
  const byId = new Map(seen.map((s) => [s.modelId, s]));
  const retrains = seen.map((s) => s.T).sort((a, b) => a - b);
  let bad = 0;
  for (let r = 0; r < table.length; r++) {
    const s = byId.get(table.modelIds[table.model[r]]);
    const d = table.date[r];
    const latest = retrains.filter((T) => T < d).pop();
    if (s === undefined || !(s.T < d) || s.T !== latest) bad++;
  }
  if (bad > 0) out.push(`${bad} rows scored by a model not the latest trained before their date`);
  return out;
}

/** Byte-for-byte equality of two typed arrays (views included). */
function sameBytes(x: Int32Array | Float64Array, y: Int32Array | Float64Array): boolean {
  return Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(
    Buffer.from(y.buffer, y.byteOffset, y.byteLength),
  );
}

function expectSameTable(a: AlphaTable, b: AlphaTable): void {
  expect(b.length).toBe(a.length);
  for (const [x, y] of [
    [a.date, b.date],
    [a.instrument, b.instrument],
    ...a.alphas.map((c, h) => [c, b.alphas[h]]),
    ...a.variances.map((c, h) => [c, b.variances[h]]),
    [a.alphaCombined, b.alphaCombined],
    [a.horizonDays, b.horizonDays],
  ]) {
    expect(sameBytes(x, y)).toBe(true);
  }
  expect(Array.from(a.model, (m) => a.modelIds[m])).toEqual(Array.from(b.model, (m) => b.modelIds[m]));
}

let root: string;
let run1: PitRun;
const seen1: Seen[] = [];
let firstModelDir = '';

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'alphafeed-pit-'));
  run1 = await computePointInTimeAlphas(
    { features, labels, config },
    {
      onTrained: observer(seen1, async (T, r) => {
        if (firstModelDir === '')
          firstModelDir = (
            await writeArtifacts(r, {
              modelsDir: join(root, `models-${T}`),
              dataDir: join(root, `data-${T}`),
            })
          ).modelDir;
      }),
    },
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('no point-in-time alpha comes from a model whose training labels matured after its date', () => {
  test('every row is scored by the last model trained before its date, on features and labels visible then', () => {
    expect(seen1.map((s) => calendar[s.T])).toEqual(['2013-02-21', '2013-05-21', '2013-08-16']);
    expect(violations(run1.table, seen1)).toEqual([]);
    // The labels really reach up to T (the check is not vacuous): the last one fitted matured on T.
    for (const s of seen1) expect(s.maturity[21]).toBe(s.T);
    // The table is every feature row after T0, in frame order, each with finite alphas within the clip.
    const from = dateOffsets(features.date, calendar.length)[run1.schedule.t0 + 1];
    expect(run1.table.length).toBe(features.length - from);
    expect(Array.from(run1.table.date)).toEqual(Array.from(features.date.subarray(from)));
    expect(Array.from(run1.table.instrument)).toEqual(Array.from(features.instrument.subarray(from)));
    for (const c of [...run1.table.alphas, run1.table.alphaCombined])
      expect(c.every((a) => Number.isFinite(a) && Math.abs(a) <= 1000)).toBe(true);
    expect(run1.table.modelIds).toEqual(seen1.map((s) => s.modelId));
    expect(run1.table.modelIds[0]).toBe(`model2-us-2013-02-21-${run1.configHash.slice(0, 12)}`);
    // H = sum w_k k lies between the horizons; var_k is the model's.
    for (const t of run1.trainings) {
      expect(t.horizonDays).toBeCloseTo(t.weights[0] * 21 + t.weights[1] * 63, 12);
      expect(t.horizonDays).toBeGreaterThan(21);
      expect(t.horizonDays).toBeLessThan(63);
    }
  });

  const leaks: [string, (f: FeatureFrame, l: LabelFrame, T: number) => VisibleFrames][] = [
    ['the frames of the next date', (f, l, T) => visibleAt(f, l, T + 1)],
    [
      'labels not masked, calendar not cut',
      (f, l, T) => {
        const v = visibleAt(f, l, T);
        return {
          features: { ...v.features, calendar: f.calendar },
          labels: {
            ...v.labels,
            calendar: l.calendar,
            labels: l.labels.map((c) => c.subarray(0, v.labels.length)),
          },
        };
      },
    ],
  ];

  test.each(leaks)('planted leak (%s): caught by this check and by the audit', async (_, leaky) => {
    const seen: Seen[] = [];
    let audit = '';
    try {
      await computePointInTimeAlphas(
        { features, labels, config },
        { retrainEvery: 500, visibility: leaky, onTrained: observer(seen) },
      );
    } catch (err) {
      expect(err).toBeInstanceOf(PitLeakError);
      audit = (err as Error).message;
    }
    expect(seen).toHaveLength(1);
    const found = violations(null, seen);
    // Labels that matured after 2013-02-21 were fitted, for both horizons.
    expect(
      found.filter((v) => / a 21d label matured on 2013-0[2-9]-\d\d > 2013-02-21$/.test(v)),
    ).toHaveLength(1);
    expect(
      found.filter((v) => / a 63d label matured on 2013-0[2-9]-\d\d > 2013-02-21$/.test(v)),
    ).toHaveLength(1);
    expect(audit).toMatch(/^point-in-time audit failed \(\d violations\): /);
    expect(audit).toMatch(
      / \(retrain 2013-02-21\) trained on (feature rows dated up to|a 21d label that matured on) 2013-0/,
    );
  });
});

test('scoring equals the written model set through predictWithModelSet, bit for bit', () => {
  const set = loadModelSet(firstModelDir);
  try {
    const T = run1.schedule.retrainDates[0];
    const end = run1.schedule.ends[0];
    const p = predictWithModelSet(set, scoringFrame(features, T, end));
    const rows = Array.from(run1.table.model).filter((m) => m === 0).length;
    expect(p.length).toBe(rows);
    const same = (a: Float64Array, b: Float64Array): boolean => a.every((v, i) => Object.is(v, b[i]));
    expect(same(p.combined, run1.table.alphaCombined.subarray(0, rows))).toBe(true);
    p.alphas.forEach((a, h) => expect(same(a, run1.table.alphas[h].subarray(0, rows))).toBe(true));
    expect(run1.table.variances[0][0]).toBe(set.models.horizons[0].variance);
  } finally {
    set.dispose();
  }
});

test('two runs agree bit for bit; the cache resumes and retrains only the segment whose inputs changed', async () => {
  const cacheDir = join(root, 'cache');
  // Data up to 40 dates before the end: the same first two segments, a shorter third.
  const cut = calendar.length - 41;
  const early = visibleAt(features, labels, cut);
  const seenA: Seen[] = [];
  const runA = await computePointInTimeAlphas({ ...early, config }, { cacheDir, onTrained: observer(seenA) });
  expect(runA.trainings.map((t) => [t.retrainDate, calendar[t.scoredLastPosition], t.cached])).toEqual([
    ['2013-02-21', '2013-05-21', false],
    ['2013-05-21', '2013-08-16', false],
    ['2013-08-16', calendar[cut], false],
  ]);
  // Rows of the first two segments: a second, independent computation of them.
  const twoSegments = Array.from(runA.table.model).filter((m) => m < 2).length;
  const prefix = (t: AlphaTable, n: number): AlphaTable => ({
    ...t,
    length: n,
    date: t.date.subarray(0, n),
    instrument: t.instrument.subarray(0, n),
    alphas: t.alphas.map((c) => c.slice(0, n)),
    variances: t.variances.map((c) => c.slice(0, n)),
    alphaCombined: t.alphaCombined.slice(0, n),
    horizonDays: t.horizonDays.slice(0, n),
    model: t.model.subarray(0, n),
    modelIds: t.modelIds.slice(0, 2),
  });
  expectSameTable(prefix(run1.table, twoSegments), prefix(runA.table, twoSegments));

  const seenB: Seen[] = [];
  const runB = await computePointInTimeAlphas(
    { features, labels, config },
    { cacheDir, onTrained: observer(seenB) },
  );
  expect(runB.trainings.map((t) => t.cached)).toEqual([true, true, false]);
  expect(seenB.map((s) => calendar[s.T])).toEqual(['2013-08-16']);
  expectSameTable(run1.table, runB.table);
  expect(runB.inputDigest).toBe(run1.inputDigest);
  // Only the current segments are kept.
  expect(readdirSync(cacheDir).filter((f) => f.endsWith('.parquet'))).toHaveLength(3);

  const seenC: Seen[] = [];
  const runC = await computePointInTimeAlphas(
    { features, labels, config },
    { cacheDir, onTrained: observer(seenC) },
  );
  expect(seenC).toEqual([]);
  expect(runC.trainings.every((t) => t.cached)).toBe(true);
  expectSameTable(run1.table, runC.table);
  // Another config is another key: nothing reused.
  const other = await computePointInTimeAlphas(
    { features, labels, config: tinyConfig({}, 4) },
    { cacheDir: join(root, 'cache'), retrainEvery: 500 },
  );
  expect(other.trainings.map((t) => t.cached)).toEqual([false]);
});
