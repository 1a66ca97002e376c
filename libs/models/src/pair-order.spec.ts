import { Rng } from '@alphafeed/core';
import { pairOrder } from './pair-order';

/** The comparator sort pairOrder replaces (V8's sort is stable). */
function comparatorOrder(x: Float64Array, y: Float64Array): number[] {
  return Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b] || y[a] - y[b]);
}

describe('pairOrder: radix argsort by (x, y)', () => {
  it('equals the stable comparator sort on random pairs with ties, signs, zeros and wide magnitudes', () => {
    const rng = new Rng(42);
    for (const n of [0, 1, 2, 17, 5000]) {
      const pick = (): number => {
        const u = rng.uniform();
        if (u < 0.1) return 0;
        if (u < 0.2) return -0;
        if (u < 0.4) return Math.round(rng.normal() * 3); // many ties
        if (u < 0.5) return rng.normal() * 1e300;
        if (u < 0.6) return rng.normal() * 1e-300;
        return rng.normal();
      };
      const x = Float64Array.from({ length: n }, pick);
      const y = Float64Array.from({ length: n }, pick);
      expect(Array.from(pairOrder(x, y))).toEqual(comparatorOrder(x, y));
    }
  });

  it('orders by x first, y breaks ties, full ties keep index order', () => {
    const x = Float64Array.of(2, 1, 2, 1, -0, 0);
    const y = Float64Array.of(5, 3, 4, 3, 1, 0);
    expect(Array.from(pairOrder(x, y))).toEqual([5, 4, 1, 3, 2, 0]);
  });
});
