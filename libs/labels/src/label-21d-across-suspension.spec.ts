import type { BarPanel } from '@alphafeed/core';
import { computeLabelFrame } from './label-frame.batch';

/**
 * Industry 0 holds A, B and C. B and C return exactly 25% a day (a binary
 * fraction, so every return is exact). A is flat, is suspended on dates 5-9
 * and resumes on date 10 up 50% (its whole move over the gap, booked on the
 * resume date); B delists after date 25. E is alone in industry 1 and
 * suspended on dates 3-5, when nobody in its industry has a return (R = 0).
 *
 * R_0 by date: 1-4 (0 + 0.25 + 0.25) / 3; 5-9 (A suspended) 0.25;
 * 10 (0.5 + 0.25 + 0.25) / 3; 11-25 0.5 / 3; from 26 (B gone) 0.25 / 2.
 */
const R_BC = 0.25;
const DATES = 40;

function panel(): BarPanel {
  const rows: { d: number; i: number; g: number; c: number }[] = [];
  let bc = 1;
  let e = 1;
  for (let d = 0; d < DATES; d++) {
    if (d > 0) bc *= 1 + R_BC;
    if (d < 5 || d >= 10) rows.push({ d, i: 0, g: 0, c: d < 10 ? 100 : 150 });
    if (d <= 25) rows.push({ d, i: 1, g: 0, c: bc });
    rows.push({ d, i: 2, g: 0, c: bc });
    if (d < 3 || d > 5) {
      e *= d === 0 ? 1 : 1.5;
      rows.push({ d, i: 3, g: 1, c: e });
    }
  }
  rows.sort((a, b) => a.d - b.d || a.i - b.i);
  const column = (pick: (r: (typeof rows)[number]) => number): Float64Array => Float64Array.from(rows, pick);
  return {
    calendar: Array.from({ length: DATES }, (_, d) => `D${String(d).padStart(2, '0')}`),
    instruments: ['A', 'B', 'C', 'E'],
    industries: ['G0', 'G1'],
    length: rows.length,
    date: Int32Array.from(rows, (r) => r.d),
    instrument: Int32Array.from(rows, (r) => r.i),
    industry: Int32Array.from(rows, (r) => r.g),
    open: column((r) => r.c),
    high: column((r) => r.c),
    low: column((r) => r.c),
    close: column((r) => r.c),
    volume: column(() => 100),
    amount: null,
    sharesOut: null,
  };
}

function label(frame: ReturnType<typeof computeLabelFrame>, date: number, instrument: number, h = 0): number {
  for (let r = 0; r < frame.length; r++)
    if (frame.date[r] === date && frame.instrument[r] === instrument) return frame.labels[h][r];
  throw new Error(`no row for date ${date}, instrument ${instrument}`);
}

describe('label_21d across a suspension (SPEC §4)', () => {
  const frame = computeLabelFrame(panel(), { horizons: [21] });

  it('a real row before the gap: gap days add -R_g, the resume date books the whole move', () => {
    const industry = 4 * (0.5 / 3) + 5 * 0.25 + 1 / 3 + 11 * (0.5 / 3);
    expect(label(frame, 0, 0)).toBeCloseTo(0.5 - industry, 12);
  });

  it('a carried row inside the gap is labelled by the same formula', () => {
    // t = 5 (carried): dates 6-9 add -0.25 each, date 10 books 0.5 - 1/3, dates 11-25 -0.5/3 each, date 26 -0.125.
    expect(label(frame, 5, 0)).toBeCloseTo(-4 * 0.25 + (0.5 - 1 / 3) - 15 * (0.5 / 3) - 0.125, 12);
    expect(label(frame, 9, 0)).toBeCloseTo(0.5 - 1 / 3 - 15 * (0.5 / 3) - 5 * 0.125, 12);
  });

  it('is NaN without a real bar at t + 21 (suspended or delisted) and past the calendar end', () => {
    // B's last bar is date 25: t = 4 reaches it, t = 5 does not.
    expect(label(frame, 4, 1)).toBeCloseTo(21 * 0.25 - (5 * 0.25 + 1 / 3 + 15 * (0.5 / 3)), 12);
    expect(label(frame, 5, 1)).toBeNaN();
    // C trades to the end: t = 18 reaches the last date 39 (R_0 is 0.5/3 on 19-25, 0.125 on 26-39); t = 19 is past it.
    expect(label(frame, DATES - 22, 2)).toBeCloseTo(21 * 0.25 - (7 * (0.5 / 3) + 14 * 0.125), 12);
    expect(label(frame, DATES - 21, 2)).toBeNaN();
  });

  it('an industry with no return on a date contributes R = 0', () => {
    // E is its own industry: on its gap dates 3-5 nobody in G1 returns, so R = 0 and its own term is 0;
    // on date 6 it books 1.5 - 1 = 0.5 and R_1 = 0.5. Its label is 0 for every t.
    expect(label(frame, 0, 3)).toBe(0);
    expect(label(frame, 4, 3)).toBe(0);
  });
});
