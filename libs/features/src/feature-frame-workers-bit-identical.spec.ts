/**
 * The batch raw features on worker threads (sharded by instrument, the
 * market means handed over, the cross-section on the main thread) give the
 * same frame as one thread, bit for bit: random panels with suspensions,
 * listings and delistings, with and without amount / shares_out, with index
 * membership and blackout dates, and more workers than some blocks have bars.
 */
import type { FeatureFrame } from '@alphafeed/core';
import { computeFeatureFrame } from './feature-frame.batch';
import type { FeatureName } from './feature-names';
import { randomMembership, randomPanel } from '@alphafeed/testing';

/** Short look-backs, so that small random panels keep many rows; every raw column is still computed and compared. */
const SHORT: FeatureName[] = ['rev_1m', 'ma_gap_20', 'rsi_14', 'vol_20', 'vlm_ratio_5_20', 'amihud_20'];

function expectBitIdentical(a: FeatureFrame, b: FeatureFrame): void {
  expect(b.length).toBe(a.length);
  const bytes = (x: ArrayBufferView): Buffer => Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  const columns = (f: FeatureFrame) => [
    f.date,
    f.instrument,
    f.industry,
    f.carried,
    ...f.features,
    f.beta252,
    f.size,
    f.momentum,
    f.vol60!,
  ];
  const left = columns(a);
  const right = columns(b);
  left.forEach((column, k) =>
    expect({ k, same: bytes(column).equals(bytes(right[k])) }).toEqual({ k, same: true }),
  );
}

describe('computeFeatureFrame on worker threads equals one thread, bit for bit', () => {
  it.each([
    ['shares_out, 2 workers', { instruments: 60, dates: 420, industries: 5, seed: 51, sharesOut: true }, 2],
    ['amount, 3 workers', { instruments: 45, dates: 300, industries: 4, seed: 52, amount: true }, 3],
    ['7 workers on 9 instruments', { instruments: 9, dates: 280, industries: 2, seed: 53 }, 7],
  ])('%s', (_label, panelOptions, workers) => {
    const panel = randomPanel(panelOptions);
    const one = computeFeatureFrame(panel, { features: SHORT, workers: 1 });
    const many = computeFeatureFrame(panel, { features: SHORT, workers, parallelMinBars: 0 });
    expect(one.length).toBeGreaterThan(1000);
    expectBitIdentical(one, many);
  });

  it('with index membership and dates on which nobody is a member', () => {
    const panel = randomPanel({ instruments: 50, dates: 400, industries: 4, seed: 54, sharesOut: true });
    const { oracle } = randomMembership(panel, 54, [100, 101, 300]);
    const one = computeFeatureFrame(panel, { features: SHORT, workers: 1, membership: oracle });
    const two = computeFeatureFrame(panel, {
      features: SHORT,
      workers: 2,
      parallelMinBars: 0,
      membership: oracle,
    });
    expect(one.length).toBeGreaterThan(1000);
    expectBitIdentical(one, two);
  });

  it('reports bad input from the worker path as the engine does', () => {
    const panel = randomPanel({ instruments: 10, dates: 200, industries: 2, seed: 55 });
    (panel.close as Float64Array)[500] = -1;
    expect(() => computeFeatureFrame(panel, { workers: 2, parallelMinBars: 0 })).toThrow(
      /is not a positive finite price/,
    );
    expect(() => computeFeatureFrame(panel, { workers: 0 })).toThrow(/workers must be an integer >= 1/);
  });
});
