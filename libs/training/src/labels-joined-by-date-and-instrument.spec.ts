/**
 * Scenario: labels are joined to feature rows by (date, instrument) text,
 * not by row position or dictionary code: a label frame with more rows
 * (carried rows dropped from the features), another instrument dictionary
 * and another calendar index gives each feature row its own label; an
 * unsorted label frame is refused instead of silently losing labels.
 */
import type { LabelFrame } from '@alphafeed/core';
import { TrainingInputError } from './errors';
import { alignLabels, horizonSamples } from './samples';
import { syntheticPanel } from './testing/synthetic-frames';

const { features, labels } = syntheticPanel({ instruments: 6, dates: 120, horizons: [21], seed: 8 });

test('a label frame with extra rows, a reversed instrument dictionary and a longer calendar', () => {
  // Re-code labels: instruments listed in reverse, calendar with an extra leading date.
  const nI = labels.instruments.length;
  const instruments = [...labels.instruments].reverse();
  const calendar = ['2014-12-31', ...labels.calendar];
  const relabelled: LabelFrame = {
    ...labels,
    calendar,
    instruments,
    date: Int32Array.from(labels.date, (d) => d + 1),
    instrument: Int32Array.from(labels.instrument, (i) => nI - 1 - i),
  };
  // Features lose every third row (as the NaN drop would).
  const keep = Array.from({ length: features.length }, (_, i) => i).filter((i) => i % 3 !== 1);
  const pick = <T extends Float64Array | Int32Array | Uint8Array>(c: T): T =>
    (c.constructor as unknown as { from(a: number[]): T }).from(keep.map((i) => c[i]));
  const sub = {
    ...features,
    length: keep.length,
    date: pick(features.date),
    instrument: pick(features.instrument),
    industry: pick(features.industry),
    carried: pick(features.carried),
    features: features.features.map(pick),
    beta252: pick(features.beta252),
    size: pick(features.size),
    momentum: pick(features.momentum),
  };
  const [y] = alignLabels(sub, relabelled);
  keep.forEach((src, i) => {
    const want = labels.labels[0][src];
    if (Number.isNaN(want)) expect(Number.isNaN(y[i])).toBe(true);
    else expect(y[i]).toBe(want);
  });
  const s = horizonSamples(sub, y, 21, sub.calendar.length - 1);
  expect(s.rows.length).toBe(keep.filter((i) => !Number.isNaN(labels.labels[0][i])).length);
});

test('the maturity cut-off drops labels whose t + k is after it', () => {
  const [y] = alignLabels(features, labels);
  const cutoff = 80;
  const s = horizonSamples(features, y, 21, cutoff);
  expect(Math.max(...s.dates)).toBe(cutoff - 21);
});

test('unsorted label rows are refused', () => {
  const swapped = Int32Array.from(labels.instrument);
  [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
  expect(() => alignLabels(features, { ...labels, instrument: swapped })).toThrow(TrainingInputError);
  expect(() => alignLabels(features, { ...labels, instrument: swapped })).toThrow(
    /label rows must be sorted/,
  );
});
