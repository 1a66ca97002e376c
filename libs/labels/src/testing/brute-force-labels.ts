/**
 * Test support: labels by a direct loop over the SPEC §4 definition, with the
 * row set built naively (last bar within `limit` calendar positions, and a
 * member on the date when `member` is given: SPEC §1; industry means over the
 * members' returns only).
 */
import type { BarPanel } from '@alphafeed/core';

export interface BruteForceLabelRow {
  date: number;
  instrument: number;
  carried: boolean;
  labels: number[];
}

export function bruteForceLabels(
  panel: BarPanel,
  horizons: readonly number[],
  limit = 5,
  member: (instrument: number, date: number) => boolean = () => true,
): BruteForceLabelRow[] {
  const L = panel.calendar.length;
  const n = panel.instruments.length;
  // bar[d][i] = panel row or -1.
  const bar = Array.from({ length: L }, () => new Array<number>(n).fill(-1));
  for (let row = 0; row < panel.length; row++) bar[panel.date[row]][panel.instrument[row]] = row;
  const ret = (d: number, i: number): number => {
    const row = bar[d][i];
    if (row < 0) return NaN;
    for (let p = d - 1; p >= 0; p--) if (bar[p][i] >= 0) return panel.close[row] / panel.close[bar[p][i]] - 1;
    return NaN;
  };
  const industryMean = (g: number, d: number): number => {
    const rs: number[] = [];
    for (let i = 0; i < n; i++) {
      const row = bar[d][i];
      if (row >= 0 && panel.industry[row] === g && !Number.isNaN(ret(d, i)) && member(i, d))
        rs.push(ret(d, i));
    }
    return rs.length === 0 ? 0 : rs.reduce((a, b) => a + b, 0) / rs.length;
  };
  const lastBarAtOrBefore = (d: number, i: number): number => {
    for (let p = d; p >= 0; p--) if (bar[p][i] >= 0) return p;
    return -1;
  };
  const out: BruteForceLabelRow[] = [];
  for (let t = 0; t < L; t++) {
    for (let i = 0; i < n; i++) {
      const last = lastBarAtOrBefore(t, i);
      if (last < 0 || t - last > limit || !member(i, t)) continue;
      const labels = horizons.map((k) => {
        if (t + k >= L || bar[t + k][i] < 0) return NaN;
        let sum = 0;
        for (let d = t + 1; d <= t + k; d++) {
          const row = bar[d][i];
          const g = row >= 0 ? panel.industry[row] : panel.industry[bar[lastBarAtOrBefore(d, i)][i]];
          const own = row >= 0 ? ret(d, i) : 0;
          sum += own - industryMean(g, d);
        }
        return sum;
      });
      out.push({ date: t, instrument: i, carried: last !== t, labels });
    }
  }
  return out;
}
