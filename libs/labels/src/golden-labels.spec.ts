import { resolve } from 'node:path';
import { computeLabelFrame } from './label-frame.batch';
import { GOLDEN_DIR, agrees, csvNumber, readCsv, readGoldenBars } from '@alphafeed/testing';

describe.each(['a', 'b', 'c'])('golden case %s: labels', (caseName) => {
  it('has exactly the golden row set (real and carried rows) and agrees on label_21d and label_63d to 1e-9 relative', () => {
    const bars = readGoldenBars(caseName);
    const frame = computeLabelFrame(bars);
    const expected = readCsv(resolve(GOLDEN_DIR, caseName, 'expected/labels.csv.gz'));
    expect(expected.header).toEqual(['date', 'instrument', 'label_21d', 'label_63d']);
    const actualKeys = Array.from(
      { length: frame.length },
      (_, r) => `${frame.calendar[frame.date[r]]},${frame.instruments[frame.instrument[r]]}`,
    );
    const expectedKeys = expected.rows.map((row) => `${row[0]},${row[1]}`);
    expect(actualKeys).toEqual(expectedKeys);
    const mismatches: Record<string, { count: number; first: string }> = {};
    for (let r = 0; r < frame.length; r++) {
      for (let h = 0; h < 2; h++) {
        const actual = frame.labels[h][r];
        const want = csvNumber(expected.rows[r][h + 2]);
        if (!agrees(actual, want)) {
          const m = (mismatches[expected.header[h + 2]] ??= { count: 0, first: '' });
          if (m.count++ === 0) m.first = `${expectedKeys[r]}: got ${actual}, expected ${want}`;
        }
      }
    }
    expect(mismatches).toEqual({});
  });
});
