import { resolve } from 'node:path';
import { computeRawFeatures } from './feature-frame.batch';
import { GOLDEN_DIR, agrees, csvNumber, readCsv, readGoldenBars } from '@alphafeed/testing';

describe.each(['a', 'b'])('golden case %s: raw features per bar', (caseName) => {
  it('every raw feature, beta_252 and size agree with the independent implementation to 1e-9 relative', () => {
    const bars = readGoldenBars(caseName);
    const raw = computeRawFeatures(bars);
    const expected = readCsv(resolve(GOLDEN_DIR, caseName, 'expected/features_raw.csv.gz'));
    expect(expected.rows.length).toBe(bars.length);
    const mismatches: Record<string, { count: number; first: string }> = {};
    const columns = expected.header.slice(2);
    for (let row = 0; row < bars.length; row++) {
      const e = expected.rows[row];
      // The golden rows are in (date, instrument) order, as the panel.
      expect(`${e[0]},${e[1]}`).toBe(
        `${bars.calendar[bars.date[row]]},${bars.instruments[bars.instrument[row]]}`,
      );
      for (let c = 0; c < columns.length; c++) {
        const j = raw.names.indexOf(columns[c]);
        const actual = raw.columns[j][row];
        const want = csvNumber(e[c + 2]);
        if (!agrees(actual, want)) {
          const m = (mismatches[columns[c]] ??= { count: 0, first: '' });
          if (m.count++ === 0) m.first = `${e[0]} ${e[1]}: got ${actual}, expected ${want}`;
        }
      }
    }
    expect(mismatches).toEqual({});
  });
});
