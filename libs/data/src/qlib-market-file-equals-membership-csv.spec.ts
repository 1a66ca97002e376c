/**
 * SPEC §1 through both batch membership sources: the same bars and spells
 * read as a CSV plus a membership table, and as a Qlib directory written in
 * Qlib's dump_bin layout (by a Python script following dump_bin.py, not by
 * alphafeed's writer) with an index market file of dated spans, give the same
 * feature and label rows, value for value.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureFrame, LabelFrame } from '@alphafeed/core';
import { computeFeatureFrame } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import { writeIndustryTable } from './bars.writer';
import { loadBars } from './load-bars';
import type { LoadResult } from './load-bars';
import { generateSyntheticBars } from './synthetic.generator';
import { runPython, tempDir } from './test-helpers';

const FIELDS = ['open', 'high', 'low', 'close', 'volume', 'amount'] as const;

describe('a Qlib index market file and a membership CSV select the same rows', () => {
  const tmp = tempDir('qlib-market');
  afterAll(tmp.cleanup);

  // 40 cn instruments over ~2 years; values cut to float32 so that Qlib's float32 files hold them exactly.
  const panel = generateSyntheticBars({
    region: 'cn',
    instruments: 40,
    years: 2,
    seed: 7,
    withSharesOut: false,
  });
  const f32 = (x: number): string => String(Math.fround(x));
  const calendar = panel.calendar;
  const last = calendar.length - 1;
  // Spells by calendar position: members from the start, late joiners (after > 1 year of history),
  // leavers, and one that leaves and comes back; instruments 30..39 are never members.
  const spellsOf = (k: number): [number, number][] => {
    if (k >= 30) return [];
    if (k % 5 === 0) return [[300, last]];
    if (k % 5 === 1) return [[0, 340]];
    if (k % 5 === 2)
      return [
        [20, 200],
        [290, 420],
      ];
    return [[0, last]];
  };

  let csv: LoadResult;
  let qlib: LoadResult;
  beforeAll(async () => {
    const csvDir = join(tmp.dir, 'per-instrument');
    mkdirSync(csvDir);
    const bars = ['date,instrument,open,high,low,close,volume,amount'];
    const perInstrument = panel.instruments.map(() => [`date,${FIELDS.join(',')}`]);
    for (let r = 0; r < panel.length; r++) {
      const values = [panel.open, panel.high, panel.low, panel.close, panel.volume, panel.amount!].map((c) =>
        f32(c[r]),
      );
      const date = calendar[panel.date[r]];
      bars.push(`${date},${panel.instruments[panel.instrument[r]]},${values.join(',')}`);
      perInstrument[panel.instrument[r]].push(`${date},${values.join(',')}`);
    }
    writeFileSync(join(tmp.dir, 'bars.csv'), `${bars.join('\n')}\n`);
    panel.instruments.forEach((code, k) =>
      writeFileSync(join(csvDir, `${code}.csv`), `${perInstrument[k].join('\n')}\n`),
    );
    const members = ['instrument,start_date,end_date'];
    panel.instruments.forEach((code, k) => {
      for (const [from, to] of spellsOf(k))
        members.push(`${code},${calendar[from]},${to === last ? '' : calendar[to]}`);
    });
    writeFileSync(join(tmp.dir, 'members.csv'), `${members.join('\n')}\n`);
    const industryTable = join(tmp.dir, 'industry.csv');
    writeIndustryTable(panel, industryTable);

    runPython('qlib_dump_bin.py', [
      csvDir,
      join(tmp.dir, 'qlib'),
      '--market',
      'csi30',
      '--spells',
      join(tmp.dir, 'members.csv'),
    ]);

    csv = await loadBars(
      { kind: 'csv', path: join(tmp.dir, 'bars.csv') },
      { region: 'cn', industryTable, universeTable: join(tmp.dir, 'members.csv') },
    );
    qlib = await loadBars(
      { kind: 'qlib', dir: join(tmp.dir, 'qlib'), market: 'csi30' },
      { region: 'cn', industryTable },
    );
  }, 60_000);

  const featureRows = (loaded: LoadResult): string[] => {
    const frame: FeatureFrame = computeFeatureFrame(loaded.panel, {
      membership: loaded.membership!.forPanel(loaded.panel),
    });
    return Array.from({ length: frame.length }, (_, r) =>
      [
        frame.calendar[frame.date[r]],
        frame.instruments[frame.instrument[r]],
        frame.carried[r],
        ...frame.features.map((c) => c[r]),
        frame.beta252[r],
        frame.size[r],
        frame.momentum[r],
      ].join(' '),
    );
  };
  const labelRows = (loaded: LoadResult): string[] => {
    const frame: LabelFrame = computeLabelFrame(loaded.panel, {
      membership: loaded.membership!.forPanel(loaded.panel),
    });
    return Array.from({ length: frame.length }, (_, r) =>
      [
        frame.calendar[frame.date[r]],
        frame.instruments[frame.instrument[r]],
        ...frame.labels.map((c) => c[r]),
      ].join(' '),
    );
  };

  it('reads the whole history of the listed instruments and the spans as membership', () => {
    expect(qlib.membership).not.toBeNull();
    expect(qlib.panel.instruments).toEqual(panel.instruments.slice(0, 30));
    expect(qlib.panel.calendar).toEqual(csv.panel.calendar);
    // Every bar of a listed instrument is there, members or not.
    const listed = new Set(panel.instruments.slice(0, 30));
    expect(qlib.panel.length).toBe(
      csv.panel.instruments.reduce((n, code, i) => n + (listed.has(code) ? count(csv, i) : 0), 0),
    );
    const code = panel.instruments[5]; // joins on position 300
    expect(qlib.membership!.isMember(code, Date.parse(calendar[299]) / 86_400_000)).toBe(false);
    expect(qlib.membership!.isMember(code, Date.parse(calendar[300]) / 86_400_000)).toBe(true);
  });

  it('gives the same feature rows, with the full look-back of a late joiner on its first member date', () => {
    const fromCsv = featureRows(csv);
    const fromQlib = featureRows(qlib);
    expect(fromQlib.length).toBeGreaterThan(3_000);
    expect(fromQlib).toEqual(fromCsv);
    // A row survives the NaN drop only with mom_12_1 (253 bars): the joiner's row on its first member date proves its history.
    expect(fromQlib.some((r) => r.startsWith(`${calendar[300]} ${panel.instruments[5]} 0 `))).toBe(true);
    expect(fromQlib.some((r) => r.startsWith(`${calendar[299]} ${panel.instruments[5]} `))).toBe(false);
    // A leaver (position 340) has no row after its last member date.
    expect(fromQlib.some((r) => r.startsWith(`${calendar[341]} ${panel.instruments[1]} `))).toBe(false);
  });

  it('gives the same label rows', () => {
    const fromQlib = labelRows(qlib);
    expect(fromQlib.length).toBeGreaterThan(5_000);
    expect(fromQlib).toEqual(labelRows(csv));
    expect(fromQlib.filter((r) => !r.endsWith('NaN NaN')).length).toBeGreaterThan(3_000);
  });
});

function count(loaded: LoadResult, instrument: number): number {
  let n = 0;
  for (let r = 0; r < loaded.panel.length; r++) if (loaded.panel.instrument[r] === instrument) n++;
  return n;
}
