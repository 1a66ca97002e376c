/**
 * Scenario: what a training at retrain date T is given (`visibleAt`, cut
 * from frames computed on the whole history) equals, bit for bit, the
 * frames the features and labels libs compute from the bars dated <= T
 * alone: the same feature rows and values (model features and style
 * exposures) and the same labels, NaN exactly where a label had not matured
 * by T. So a training sees exactly what existed at the close of T. The test
 * can fail: the label rows without the maturity mask, or the frames of the
 * next date, differ from the recompute.
 */
import type { FeatureFrame, LabelFrame } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import { subsetBars } from '@alphafeed/training';
import { goldenCFrames } from './testing/golden-c-frames';
import { visibleAt } from './visible-at';

function featureRecords(f: FeatureFrame): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < f.length; i++) {
    out.set(`${f.calendar[f.date[i]]}|${f.instruments[f.instrument[i]]}`, [
      ...f.features.map((c) => c[i]),
      f.beta252[i],
      f.size[i],
      f.momentum[i],
      f.carried[i],
    ]);
  }
  return out;
}

function labelRecords(l: LabelFrame): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let r = 0; r < l.length; r++)
    out.set(
      `${l.calendar[l.date[r]]}|${l.instruments[l.instrument[r]]}`,
      l.labels.map((c) => c[r]),
    );
  return out;
}

/** Rows that differ (bitwise, NaN equal to NaN) or exist on one side only. */
function differences(a: Map<string, number[]>, b: Map<string, number[]>): string[] {
  const out: string[] = [];
  for (const [key, va] of a) {
    const vb = b.get(key);
    if (vb === undefined) out.push(`${key} only on the left`);
    else if (va.some((x, j) => !Object.is(x, vb[j]))) out.push(`${key}: ${va} vs ${vb}`);
  }
  for (const key of b.keys()) if (!a.has(key)) out.push(`${key} only on the right`);
  return out;
}

describe('visibleAt(T) equals features and labels recomputed on the bars up to T', () => {
  const { bars, features, labels } = goldenCFrames();
  const cal = bars.calendar;

  test.each([300, 944])('calendar position %i', (T) => {
    const truncated = subsetBars(bars, { endDate: cal[T] });
    expect(truncated.calendar[truncated.calendar.length - 1]).toBe(cal[T]);
    const f2 = computeFeatureFrame(truncated);
    const l2 = computeLabelFrame(truncated, { horizons: [21, 63] });
    const seen = visibleAt(features, labels, T);

    expect(seen.features.calendar).toEqual(truncated.calendar);
    expect(seen.features.length).toBe(f2.length);
    expect(differences(featureRecords(seen.features), featureRecords(f2))).toEqual([]);
    expect(seen.labels.length).toBe(l2.length);
    const visible = labelRecords(seen.labels);
    expect(differences(visible, labelRecords(l2))).toEqual([]);
    // Some labels are masked and some visible, for each horizon.
    for (const h of [0, 1]) {
      const col = seen.labels.labels[h];
      expect(col.some((v) => Number.isNaN(v))).toBe(true);
      expect(col.some((v) => !Number.isNaN(v))).toBe(true);
    }

    // Without the maturity mask (the label rows dated <= T as computed on the
    // whole history) the labels of the last k dates differ from the recompute.
    const unmasked: LabelFrame = {
      ...seen.labels,
      labels: labels.labels.map((c) => c.subarray(0, seen.labels.length)),
    };
    const leaked = differences(labelRecords(unmasked), labelRecords(l2));
    expect(leaked.length).toBeGreaterThan(0);
    // One date later is not what existed at T either.
    const next = visibleAt(features, labels, T + 1);
    expect(differences(featureRecords(next.features), featureRecords(f2)).length).toBeGreaterThan(0);
  });
});
