import { computeRawFeatures } from './feature-frame.batch';
import { NAIVE_RAW_NAMES, naiveRawFeatures } from './testing/naive-features';
import { agrees, randomPanel } from '@alphafeed/testing';

describe('raw features from the incremental kernels equal a brute-force recompute per bar', () => {
  it.each([
    ['shares_out, volume-based dollar volume', { sharesOut: true, amount: false, seed: 11 }],
    ['amount, no shares_out', { sharesOut: false, amount: true, seed: 12 }],
  ])('%s', (_label, flags) => {
    const panel = randomPanel({ instruments: 14, dates: 420, industries: 4, ...flags });
    const raw = computeRawFeatures(panel);
    const naive = naiveRawFeatures(panel);
    expect(raw.names).toEqual([...NAIVE_RAW_NAMES]);
    const defined = new Array<number>(NAIVE_RAW_NAMES.length).fill(0);
    for (let row = 0; row < panel.length; row++) {
      for (let c = 0; c < NAIVE_RAW_NAMES.length; c++) {
        const actual = raw.columns[c][row];
        const expected = naive[row][c];
        if (!agrees(actual, expected)) {
          throw new Error(`${NAIVE_RAW_NAMES[c]} row ${row}: got ${actual}, brute force ${expected}`);
        }
        if (!Number.isNaN(expected)) defined[c]++;
      }
    }
    // Every feature was exercised (turnover only with shares_out).
    NAIVE_RAW_NAMES.forEach((name, c) => {
      if (name !== 'turnover_20' || flags.sharesOut) expect(defined[c]).toBeGreaterThan(100);
    });
  });
});
