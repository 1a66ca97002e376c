import { FeatureEngine } from './feature.engine';
import { IndustryZScoreKernel } from './industry-zscore.kernel';
import { linearPercentile, winsorizeInPlace } from './winsorize.kernel';

describe('cross-sectional preprocessing, hand-computed (SPEC §3)', () => {
  it('percentiles interpolate linearly between order statistics as numpy does', () => {
    const xs = Float64Array.from([7, 3, 10, 1, 5, 9, 2, 8, 6, 4]);
    const scratch = new Float64Array(10);
    // Position (n - 1) q = 0.09 -> 1 + 0.09; 8.91 -> 9 + 0.91.
    expect(linearPercentile(xs, 10, 0.01, scratch)).toBeCloseTo(1.09, 15);
    expect(linearPercentile(xs, 10, 0.99, scratch)).toBeCloseTo(9.91, 14);
    expect(linearPercentile(xs, 10, 0.5, scratch)).toBe(5.5);
    expect(linearPercentile(xs, 1, 0.99, scratch)).toBe(7);
  });

  it('winsorising clips to the 1st and 99th percentiles of the date', () => {
    const xs = Float64Array.from([100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    winsorizeInPlace(xs, 11, 0.01, 0.99, new Float64Array(11));
    // n = 11: positions 0.1 -> 1 + 0.1 * 1 = 1.1; 9.9 -> 10 + 0.9 * 90 = 91.
    expect(xs[0]).toBeCloseTo(91, 12);
    expect(xs[1]).toBeCloseTo(1.1, 15);
    expect([...xs.slice(2)]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('industry z-score with ddof 0; a 3-member industry is scored against the whole cross-section; equal values score 0', () => {
    const values = Float64Array.from([1, 2, 3, 4, 5, 10, 20, 30, 7, 7, 7, 7, 7]);
    const industry = Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2]);
    new IndustryZScoreKernel(5).apply(values, industry, 13);
    // Industry 0: mean 3, std sqrt(2).
    [1, 2, 3, 4, 5].forEach((x, k) => expect(values[k]).toBeCloseTo((x - 3) / Math.SQRT2, 14));
    // Industry 1 (3 < 5 members) uses all 13 values: mean (15 + 60 + 35) / 13.
    const all = [1, 2, 3, 4, 5, 10, 20, 30, 7, 7, 7, 7, 7];
    const mean = 110 / 13;
    const std = Math.sqrt(all.reduce((s, x) => s + (x - mean) ** 2, 0) / 13);
    [10, 20, 30].forEach((x, k) => expect(values[5 + k]).toBeCloseTo((x - mean) / std, 14));
    // Industry 2: five equal values, std 0 -> 0 exactly.
    expect([...values.slice(8)]).toEqual([0, 0, 0, 0, 0]);
  });

  it('min_industry_size is configurable: with 3 the small industry keeps its own mean', () => {
    const values = Float64Array.from([10, 20, 30, 1, 2, 3, 4, 5]);
    new IndustryZScoreKernel(3).apply(values, Int32Array.from([1, 1, 1, 0, 0, 0, 0, 0]), 8);
    expect(values[0]).toBeCloseTo(-10 / Math.sqrt(200 / 3), 14);
  });

  it('a row with a NaN model feature is dropped before winsorising; NaN style exposures do not drop it', () => {
    // ma_gap_20 needs 20 bars: instruments 0-5 have 20, instrument 6 only 10. Beta (126 pairs) is NaN for all.
    const engine = new FeatureEngine({ features: ['ma_gap_20'] });
    let rows = engine.closeDate(0, bars([0, 1, 2, 3, 4, 5], 0));
    for (let d = 1; d < 20; d++)
      rows = engine.closeDate(d, bars(d >= 10 ? [0, 1, 2, 3, 4, 5, 6] : [0, 1, 2, 3, 4, 5], d));
    expect([...rows.instrument]).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...rows.beta252].every(Number.isNaN)).toBe(true);
    // Six rows in one industry: z-scores of the winsorised values have mean 0 and ddof-0 std 1.
    const z = [...rows.features[0]];
    expect(z.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 12);
    expect(z.reduce((s, x) => s + x * x, 0) / 6).toBeCloseTo(1, 12);
  });
});

/** One bar per listed instrument, industry 0, closes that differ per instrument and date. */
function bars(instruments: number[], d: number) {
  const n = instruments.length;
  return {
    length: n,
    instrument: Int32Array.from(instruments),
    industry: new Int32Array(n),
    close: Float64Array.from(instruments, (i) => 10 + i + Math.sin(d * (i + 1))),
    volume: new Float64Array(n).fill(100),
  };
}
