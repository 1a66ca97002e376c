/**
 * Scenario: one date's member rows (a real row, a carried row) and real bars
 * (a member's bar, a non-member's bar) merged by hand into the engine's
 * canonical cross-section; unsorted rows are refused with one line. And the
 * batch side's `PanelStepInputs` gives, for every date of a synthetic panel,
 * one entry per frame row or bar, returns from the bars' own closes.
 */
import { portfolioDateInput, PanelStepInputs } from './step-inputs';
import { smallPanel } from './testing/small-panel';

const members = {
  length: 2,
  instrument: Int32Array.of(2, 5),
  industry: Int32Array.of(1, 0),
  carried: Uint8Array.of(0, 1),
  beta252: Float64Array.of(1.1, 0.9),
  size: Float64Array.of(20, 21),
  momentum: Float64Array.of(0.1, NaN),
  vol60: Float64Array.of(0.02, 0.03),
};
const bars = {
  length: 2,
  instrument: Int32Array.of(2, 4),
  industry: Int32Array.of(1, 1),
  dailyReturn: Float64Array.of(0.01, -0.02),
};
const alphas = {
  length: 1,
  instrument: Int32Array.of(2),
  alphaBps: Float64Array.of(12),
  horizonDays: 21,
  modelId: 'm',
};

it('merges member rows and bars ascending by id: returns from bars, NaN when carried, styles only on members', () => {
  const input = portfolioDateInput(7, '2024-03-01', members, bars, alphas);
  expect(input.dateIndex).toBe(7);
  expect(input.day).toBe('2024-03-01');
  expect(Array.from(input.instrument)).toEqual([2, 4, 5]);
  expect(Array.from(input.industry)).toEqual([1, 1, 0]);
  expect(Array.from(input.member!)).toEqual([1, 0, 1]);
  expect(Array.from(input.carried!)).toEqual([0, 0, 1]);
  expect(Array.from(input.dailyReturn)).toEqual([0.01, -0.02, NaN]);
  expect(Array.from(input.beta252)).toEqual([1.1, NaN, 0.9]);
  expect(Array.from(input.momentum)).toEqual([0.1, NaN, NaN]);
  expect(Array.from(input.vol60)).toEqual([0.02, NaN, 0.03]);
  expect(input.alphas).toBe(alphas);
});

it('refuses rows out of instrument order with one line', () => {
  const unsorted = { ...bars, instrument: Int32Array.of(4, 2) };
  expect(() => portfolioDateInput(7, '2024-03-01', members, unsorted, null)).toThrow(
    '2024-03-01: the bars are not in ascending instrument order (id 2 after 4); sort them by instrument, one row each',
  );
});

it('PanelStepInputs: one entry per frame row or real bar, returns from the own previous close', () => {
  const p = smallPanel('cn', { instruments: 20, years: 1.1, alphasFrom: 200 });
  const src = new PanelStepInputs(p.bars, p.frame, p.alphas);
  const N = src.instruments.length;
  const lastClose = new Float64Array(N).fill(NaN);
  let row = 0;
  let frameRow = 0;
  for (let d = 0; d < src.calendar.length; d++) {
    const input = src.inputOf(d);
    const expected = new Map<number, { ret: number; member: number; carried: number }>();
    for (; row < p.bars.length && p.bars.date[row] === d; row++) {
      const i = p.bars.instrument[row];
      expected.set(i, { ret: p.bars.close[row] / lastClose[i] - 1, member: 0, carried: 0 });
      lastClose[i] = p.bars.close[row];
    }
    for (; frameRow < p.frame.length && p.frame.date[frameRow] === d; frameRow++) {
      const i = p.frame.instrument[frameRow];
      const carried = p.frame.carried[frameRow];
      expected.set(i, { ret: carried ? NaN : expected.get(i)!.ret, member: 1, carried });
    }
    const got = new Map<number, { ret: number; member: number; carried: number }>();
    for (let e = 0; e < input.length; e++)
      got.set(input.instrument[e], {
        ret: input.dailyReturn[e],
        member: input.member![e],
        carried: input.carried![e],
      });
    expect(got).toEqual(expected);
    expect(src.firstAlphaDate(0)).toBe(p.alphas.date[0]);
    if (d === p.alphas.date[0]) expect(input.alphas!.length).toBeGreaterThan(0);
    if (d < p.alphas.date[0]) expect(input.alphas).toBeNull();
  }
});
