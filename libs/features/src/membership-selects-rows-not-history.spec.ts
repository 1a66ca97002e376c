/**
 * SPEC §1 "Membership selects rows, never history": raw features and style
 * exposures use every bar of an instrument; only the members of a date form
 * its cross-section (rows, percentiles, z-scores, the market mean of beta);
 * carry-forward reaches only member dates.
 */
import type { BarPanel, MemberOracle } from '@alphafeed/core';
import { computeFeatureFrame, computeRawFeatures } from './feature-frame.batch';
import { modelFeatureNames, RAW_COLUMN_NAMES } from './feature-names';
import { naiveFeatureRows } from './testing/naive-features';
import { agrees, randomMembership, randomPanel } from '@alphafeed/testing';

/** One industry of 12 instruments with a bar on each of 400 dates, except where `gaps` says. */
function fullPanel(gaps: (i: number, d: number) => boolean = () => false): BarPanel {
  const instruments = 12;
  const dates = 400;
  const rows: [number, number][] = [];
  for (let d = 0; d < dates; d++) for (let i = 0; i < instruments; i++) if (!gaps(i, d)) rows.push([d, i]);
  const close = rows.map(([d, i]) => 10 + i + Math.sin(d / 7 + i) + d / 50);
  return {
    calendar: Array.from({ length: dates }, (_, d) => `D${String(d).padStart(4, '0')}`),
    instruments: Array.from({ length: instruments }, (_, i) => `I${String(i).padStart(2, '0')}`),
    industries: ['G'],
    length: rows.length,
    date: Int32Array.from(rows, (r) => r[0]),
    instrument: Int32Array.from(rows, (r) => r[1]),
    industry: new Int32Array(rows.length),
    open: Float64Array.from(close),
    high: Float64Array.from(close),
    low: Float64Array.from(close),
    close: Float64Array.from(close),
    volume: Float64Array.from(rows, ([d, i]) => 1000 + ((d * 7 + i * 13) % 50)),
    amount: null,
    sharesOut: null,
  };
}

const oracle = (member: (i: number, d: number) => boolean): MemberOracle => ({ isMember: member });

function rowsOf(frame: { date: Int32Array; instrument: Int32Array }, d: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < frame.date.length; r++) if (frame.date[r] === d) out.push(frame.instrument[r]);
  return out;
}

describe('membership selects rows, never history (SPEC §1)', () => {
  const JOIN = 300; // I05 joins the index on date 300, I07 leaves after date 320
  const LEAVE = 320;
  const member = (i: number, d: number): boolean => (i === 5 ? d >= JOIN : i === 7 ? d <= LEAVE : true);

  it('a stock joining mid-sample has its full look-back (mom_12_1 from 253 bars) on its first member date', () => {
    const panel = fullPanel();
    const frame = computeFeatureFrame(panel, { membership: oracle(member) });
    const raw = computeRawFeatures(panel);
    expect(rowsOf(frame, JOIN - 1)).not.toContain(5);
    const at = Array.from(frame.date).findIndex((d, r) => d === JOIN && frame.instrument[r] === 5);
    expect(at).toBeGreaterThanOrEqual(0);
    // Its raw momentum is the one computed from its whole history, not NaN for want of 253 in-index bars.
    const panelRow = Array.from(panel.date).findIndex((d, r) => d === JOIN && panel.instrument[r] === 5);
    const mom = raw.columns[RAW_COLUMN_NAMES.indexOf('mom_12_1')][panelRow];
    expect(Number.isFinite(mom)).toBe(true);
    expect(frame.momentum[at]).toBe(mom);
    expect(frame.carried[at]).toBe(0);
  });

  it('a stock that leaves has no row on the next date, although it still has bars and would be carried', () => {
    const panel = fullPanel((i, d) => i === 7 && d === LEAVE); // no bar on its last member date either
    const frame = computeFeatureFrame(panel, { membership: oracle(member) });
    expect(rowsOf(frame, LEAVE)).toContain(7); // carried into its last member date
    const carriedRow = Array.from(frame.date).findIndex((d, r) => d === LEAVE && frame.instrument[r] === 7);
    expect(frame.carried[carriedRow]).toBe(1);
    for (let d = LEAVE + 1; d <= LEAVE + 6; d++) expect(rowsOf(frame, d)).not.toContain(7);
    // Without the table it would have rows there.
    expect(rowsOf(computeFeatureFrame(panel), LEAVE + 1)).toContain(7);
  });

  it('the cross-section is the members only: z-scores and the market mean of beta ignore non-members', () => {
    const panel = fullPanel();
    const everyone = computeFeatureFrame(panel);
    const members = computeFeatureFrame(panel, { membership: oracle((i, d) => i !== 3 || d < 200) });
    const d = 350;
    expect(rowsOf(members, d)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
    const pick = (frame: typeof members, i: number, f: number): number =>
      frame.features[f][Array.from(frame.date).findIndex((x, r) => x === d && frame.instrument[r] === i)];
    // Preprocessed values change when I03 leaves the cross-section; raw momentum does not.
    expect(pick(members, 0, 1)).not.toBe(pick(everyone, 0, 1));
    const momentumOf = (frame: typeof members): number =>
      frame.momentum[Array.from(frame.date).findIndex((x, r) => x === d && frame.instrument[r] === 0)];
    expect(momentumOf(members)).toBe(momentumOf(everyone));
  });

  it.each([
    ['short history, amount', 31, 40, 200, 5, { amount: true }],
    ['all features, shares_out', 32, 30, 340, 4, { sharesOut: true }],
  ])(
    'equals the naive pipeline with random spells and blackout dates (%s)',
    (_label, seed, instruments, dates, industries, flags) => {
      const panel = randomPanel({ instruments, dates, industries, seed, ...flags });
      const features = modelFeatureNames(panel.sharesOut !== null).filter(
        (name) => dates > 300 || !['mom_12_1', 'dd_252', 'ma_gap_200', 'mdd_126'].includes(name),
      );
      const blackout = [150, 151, 152, 190];
      const spells = randomMembership(panel, seed, blackout);
      const frame = computeFeatureFrame(panel, { features, membership: spells.oracle });
      const naive = naiveFeatureRows(panel, features, { member: spells.member });
      expect(frame.length).toBe(naive.length);
      expect(frame.length).toBeGreaterThan(200);
      expect(frame.length).toBeLessThan(computeFeatureFrame(panel, { features }).length);
      naive.forEach((row, r) => {
        expect([frame.date[r], frame.instrument[r], frame.carried[r]]).toEqual([
          row.date,
          row.instrument,
          row.carried ? 1 : 0,
        ]);
        row.features.forEach((z, f) => {
          if (!agrees(frame.features[f][r], z))
            throw new Error(
              `${features[f]} date ${row.date} instrument ${row.instrument}: ${frame.features[f][r]} vs ${z}`,
            );
        });
        if (!agrees(frame.vol60![r], row.vol60))
          throw new Error(`vol60 date ${row.date}: ${frame.vol60![r]} vs ${row.vol60}`);
        if (!agrees(frame.beta252[r], row.beta))
          throw new Error(
            `beta_252 date ${row.date} instrument ${row.instrument}: ${frame.beta252[r]} vs ${row.beta}`,
          );
      });
      for (const d of blackout) expect(rowsOf(frame, d)).toEqual([]);
    },
  );
});
