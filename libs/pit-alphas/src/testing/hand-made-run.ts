/**
 * Test-only: hand-made pieces of a point-in-time run on a small calendar,
 * every instrument on every date, horizons 2 and 3 (what the audit and the
 * writer specs need without training anything).
 */
import type { AlphaSegment } from '../alpha-table';
import type { PitTraining } from '../point-in-time.audit';

/** The record of a model retrained at T that scores (T, end], trained on every row up to T. */
export function handTraining(
  calendar: readonly string[],
  instruments: number,
  id: string,
  T: number,
  end: number,
  over: Partial<PitTraining> = {},
): PitTraining {
  return {
    modelId: id,
    retrainDate: calendar[T],
    retrainPosition: T,
    scoredFirstPosition: T + 1,
    scoredLastPosition: end,
    scoredRows: instruments * (end - T),
    trainingRows: instruments * (T + 1),
    trainingLastPosition: T,
    horizons: [
      { horizon: 2, samples: instruments * (T - 1), lastMaturityPosition: T },
      { horizon: 3, samples: instruments * (T - 2), lastMaturityPosition: T },
    ],
    variances: [1e5, 6e5],
    weights: [0.75, 0.25],
    horizonDays: 2.25,
    ms: 1234,
    cached: false,
    ...over,
  };
}

/** Every instrument on every date of (from, to], scored by `id`; alphas a deterministic wave within ±900 bps. */
export function handSegment(
  instruments: number,
  id: string,
  from: number,
  to: number,
  shift = 0,
): AlphaSegment {
  const n = instruments * (to - from);
  const alpha = (k: number): Float64Array =>
    Float64Array.from({ length: n }, (_, r) => Math.sin(r + k + shift) * 900);
  return {
    date: Int32Array.from({ length: n }, (_, r) => from + 1 + Math.floor(r / instruments)),
    instrument: Int32Array.from({ length: n }, (_, r) => r % instruments),
    alphas: [alpha(1), alpha(2)],
    alphaCombined: alpha(3),
    variance: [1e5, 6e5],
    horizonDays: 2.25,
    modelId: id,
  };
}
