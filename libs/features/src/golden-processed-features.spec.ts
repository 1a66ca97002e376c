import { resolve } from 'node:path';
import { computeFeatureFrame } from './feature-frame.batch';
import { GOLDEN_DIR, agrees, csvNumber, readCsv, readGoldenBars } from '@alphafeed/testing';

describe.each(['a', 'b', 'c'])('golden case %s: processed features', (caseName) => {
  it('has exactly the golden row set and agrees on every preprocessed value to 1e-9 relative', () => {
    const bars = readGoldenBars(caseName);
    const frame = computeFeatureFrame(bars);
    const expected = readCsv(resolve(GOLDEN_DIR, caseName, 'expected/features.csv.gz'));
    expect(frame.featureNames).toEqual(expected.header.slice(2));
    const keys = (n: number, key: (r: number) => string): string[] =>
      Array.from({ length: n }, (_, r) => key(r));
    const actualKeys = keys(
      frame.length,
      (r) => `${frame.calendar[frame.date[r]]},${frame.instruments[frame.instrument[r]]}`,
    );
    const expectedKeys = keys(expected.rows.length, (r) => `${expected.rows[r][0]},${expected.rows[r][1]}`);
    const actualSet = new Set(actualKeys);
    const expectedSet = new Set(expectedKeys);
    expect({
      extra: actualKeys.filter((k) => !expectedSet.has(k)).slice(0, 10),
      missing: expectedKeys.filter((k) => !actualSet.has(k)).slice(0, 10),
    }).toEqual({ extra: [], missing: [] });
    expect(actualKeys).toEqual(expectedKeys);
    const mismatches: Record<string, { count: number; first: string }> = {};
    for (let r = 0; r < frame.length; r++) {
      for (let f = 0; f < frame.featureNames.length; f++) {
        const actual = frame.features[f][r];
        const want = csvNumber(expected.rows[r][f + 2]);
        if (!agrees(actual, want)) {
          const m = (mismatches[frame.featureNames[f]] ??= { count: 0, first: '' });
          if (m.count++ === 0) m.first = `${expectedKeys[r]}: got ${actual}, expected ${want}`;
        }
      }
    }
    expect(mismatches).toEqual({});
  });
});
