/**
 * Golden case c, last two steps of SPEC §6: the calibrated alphas of
 * predictions_detail (before neutralisation), neutralised per date on the raw
 * carried exposures [1, beta_252, size, momentum] and clipped to ±1000 bps,
 * must give predictions.csv.gz within 1e-6 bps and the logged clip counts.
 * The exposures are not in the golden files, so they come from the features
 * lib run on c/bars.csv (its row keys are checked against features.csv.gz).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dateOffsets, type BarPanel } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import { clipAlphas } from './clip';
import { neutralizeMany } from './neutralize';
import { GOLDEN_C, column, keys, readCsv, readJson } from './testing/golden-c.fixture';

/** c/bars.csv as a BarPanel sorted by (date, instrument); shares_out present, no amount. */
function loadBars(): BarPanel {
  const lines = readFileSync(join(GOLDEN_C, '../bars.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const at = (name: string): number => header.indexOf(name);
  const rows = lines.slice(1).map((l) => l.split(','));
  const [cd, ci, cg] = [at('date'), at('instrument'), at('industry')];
  rows.sort((a, b) =>
    a[cd] !== b[cd] ? (a[cd] < b[cd] ? -1 : 1) : a[ci] < b[ci] ? -1 : a[ci] > b[ci] ? 1 : 0,
  );
  const calendar = [...new Set(rows.map((r) => r[cd]))].sort();
  const instruments = [...new Set(rows.map((r) => r[ci]))].sort();
  const industries = [...new Set(rows.map((r) => r[cg]))].sort();
  const index = (list: string[]): Map<string, number> => new Map(list.map((v, i) => [v, i]));
  const [dateIx, instIx, indIx] = [index(calendar), index(instruments), index(industries)];
  const num = (name: string): Float64Array => Float64Array.from(rows, (r) => Number(r[at(name)]));
  return {
    calendar,
    instruments,
    industries,
    length: rows.length,
    date: Int32Array.from(rows, (r) => dateIx.get(r[cd]) as number),
    instrument: Int32Array.from(rows, (r) => instIx.get(r[ci]) as number),
    industry: Int32Array.from(rows, (r) => indIx.get(r[cg]) as number),
    open: num('open'),
    high: num('high'),
    low: num('low'),
    close: num('close'),
    volume: num('volume'),
    amount: null,
    sharesOut: num('shares_out'),
  };
}

test('neutralised and clipped alphas match predictions.csv.gz within 1e-6 bps, with the logged clip counts', () => {
  const bars = loadBars();
  const frame = computeFeatureFrame(bars);
  const detail = readCsv(join(GOLDEN_C, 'walk_forward/predictions_detail.csv.gz'));
  const rowKeys = Array.from(
    { length: frame.length },
    (_, i) => `${bars.calendar[frame.date[i]]}|${bars.instruments[frame.instrument[i]]}`,
  );
  expect(rowKeys).toEqual(keys(detail));
  const predictions = readCsv(join(GOLDEN_C, 'walk_forward/predictions.csv.gz'));
  expect(keys(predictions)).toEqual(rowKeys);
  const summary = readJson<{ clipped: Record<string, number> }>(
    join(GOLDEN_C, 'walk_forward/model_summary.json'),
  );

  const offsets = dateOffsets(frame.date, bars.calendar.length);
  const names = ['alpha_21d', 'alpha_63d', 'alpha_combined'];
  const calibrated = names.map((n) => column(detail, `${n}_calibrated`));
  const neutral = neutralizeMany(calibrated, [frame.beta252, frame.size, frame.momentum], offsets);
  names.forEach((name, k) => {
    const { values, clipped } = clipAlphas(neutral[k], 1000);
    const ref = column(predictions, name);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(values[i] - ref[i]));
    console.log(
      `golden c ${name}: neutralised + clipped max abs diff ${worst.toExponential(2)} bps, ${clipped} clipped`,
    );
    expect(worst).toBeLessThanOrEqual(1e-6);
    expect(clipped).toBe(summary.clipped[name]);
  });
});
