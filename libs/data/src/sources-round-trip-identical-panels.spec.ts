import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BarPanel } from '@alphafeed/core';
import { writeBarsCsv, writeBarsParquet, writeIndustryTable } from './bars.writer';
import { loadBars } from './load-bars';
import type { LoadResult } from './load-bars';
import { writeQlibDir } from './qlib.writer';
import { generateSyntheticBars } from './synthetic.generator';
import { FIXTURES, panelRows, tempDir } from './test-helpers';

function expectSamePanel(got: LoadResult, want: BarPanel): void {
  expect(got.panel.calendar).toEqual(want.calendar);
  expect(got.panel.instruments).toEqual(want.instruments);
  expect(got.panel.industries).toEqual(want.industries);
  expect(got.hasAmount).toBe(want.amount !== null);
  expect(got.hasSharesOut).toBe(want.sharesOut !== null);
  expect(got.rejects.rejected).toBe(0);
  expect(got.panel.length).toBe(want.length);
  for (const key of [
    'date',
    'instrument',
    'industry',
    'open',
    'high',
    'low',
    'close',
    'volume',
    'amount',
    'sharesOut',
  ] as const) {
    const a = got.panel[key];
    const b = want[key];
    expect(
      a === null
        ? null
        : Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
            Buffer.from(b!.buffer, b!.byteOffset, b!.byteLength),
          ),
    ).toBe(b === null ? null : true);
  }
}

describe('CSV, CSV.gz, Parquet and Qlib give identical panels', () => {
  const tmp = tempDir('round-trip');
  afterAll(tmp.cleanup);

  it('round-trips the small cn fixture (an industry change, amount, shares_out) through every format', async () => {
    const base = await loadBars({ kind: 'csv', path: join(FIXTURES, 'bars-small.csv') }, { region: 'cn' });
    const p = base.panel;
    expect(p.length).toBe(13);
    writeBarsCsv(p, join(tmp.dir, 'small.csv'));
    writeBarsCsv(p, join(tmp.dir, 'small.csv.gz'));
    await writeBarsParquet(p, join(tmp.dir, 'small.parquet'));
    writeQlibDir(p, join(tmp.dir, 'qlib'));
    writeIndustryTable(p, join(tmp.dir, 'industry.csv'));
    const opts = { region: 'cn' as const };
    expectSamePanel(await loadBars({ kind: 'csv', path: join(tmp.dir, 'small.csv') }, opts), p);
    expectSamePanel(await loadBars({ kind: 'csv', path: join(tmp.dir, 'small.csv.gz') }, opts), p);
    expectSamePanel(await loadBars({ kind: 'parquet', path: join(tmp.dir, 'small.parquet') }, opts), p);
    // The fixture's values are exact in float32, so even Qlib's float32 files give the same panel.
    const qlib = await loadBars(
      { kind: 'qlib', dir: join(tmp.dir, 'qlib'), market: 'all' },
      { ...opts, industryTable: join(tmp.dir, 'industry.csv') },
    );
    expectSamePanel(qlib, p);
    expect(panelRows(qlib.panel)).toEqual(panelRows(p));
  });

  it('reports progress up to its total for every file source', async () => {
    const base = await loadBars({ kind: 'csv', path: join(FIXTURES, 'bars-small.csv') }, { region: 'cn' });
    writeBarsCsv(base.panel, join(tmp.dir, 'progress.csv.gz'));
    await writeBarsParquet(base.panel, join(tmp.dir, 'progress.parquet'));
    writeQlibDir(base.panel, join(tmp.dir, 'progress-qlib'));
    writeIndustryTable(base.panel, join(tmp.dir, 'progress-industry.csv'));
    const specs = [
      { kind: 'csv', path: join(tmp.dir, 'progress.csv.gz') },
      { kind: 'parquet', path: join(tmp.dir, 'progress.parquet') },
      { kind: 'qlib', dir: join(tmp.dir, 'progress-qlib'), market: 'all' },
    ] as const;
    const last: [number, number][] = [];
    for (const spec of specs) {
      const calls: [number, number][] = [];
      await loadBars(spec, {
        region: 'cn',
        industryTable: join(tmp.dir, 'progress-industry.csv'),
        onProgress: (done, total) => calls.push([done, total]),
      });
      last.push(calls[calls.length - 1]);
    }
    expect(last[0][0]).toBe(last[0][1]); // compressed bytes
    expect(last.slice(1)).toEqual([
      [13, 13], // rows
      [3, 3], // instruments
    ]);
  });

  it('reads back a CSV.gz written as several gzip members', async () => {
    const p = generateSyntheticBars({ region: 'us', instruments: 30, years: 1 });
    const path = join(tmp.dir, 'members.csv.gz');
    writeBarsCsv(p, path, { blockRows: 1000 });
    // gzip members start with the magic bytes 1f 8b 08; count them.
    const bytes = readFileSync(path);
    let members = 0;
    for (let k = 0; k + 2 < bytes.length; k++)
      if (bytes[k] === 0x1f && bytes[k + 1] === 0x8b && bytes[k + 2] === 8) members++;
    expect(members).toBeGreaterThanOrEqual(Math.ceil(p.length / 1000));
    expectSamePanel(await loadBars({ kind: 'csv', path }, { region: 'us' }), p);
  });

  it('round-trips a synthetic cn panel with suspensions: CSV.gz and Parquet exactly, Qlib to float32', async () => {
    const p = generateSyntheticBars({ region: 'cn', instruments: 40, years: 1.5 });
    writeBarsCsv(p, join(tmp.dir, 'syn.csv.gz'));
    await writeBarsParquet(p, join(tmp.dir, 'syn.parquet'), { rowGroupSize: 5_000 });
    writeQlibDir(p, join(tmp.dir, 'syn-qlib'), { market: 'csi40' });
    writeIndustryTable(p, join(tmp.dir, 'syn-industry.csv'));
    const opts = { region: 'cn' as const };
    expectSamePanel(await loadBars({ kind: 'csv', path: join(tmp.dir, 'syn.csv.gz') }, opts), p);
    expectSamePanel(await loadBars({ kind: 'parquet', path: join(tmp.dir, 'syn.parquet') }, opts), p);
    const q = await loadBars(
      { kind: 'qlib', dir: join(tmp.dir, 'syn-qlib'), market: 'csi40' },
      { ...opts, industryTable: join(tmp.dir, 'syn-industry.csv') },
    );
    expect(q.rejects.rejected).toBe(0);
    expect(q.panel.length).toBe(p.length);
    expect(Array.from(q.panel.date)).toEqual(Array.from(p.date));
    expect(Array.from(q.panel.instrument)).toEqual(Array.from(p.instrument));
    for (let i = 0; i < p.length; i++) {
      if (q.panel.close[i] !== Math.fround(p.close[i]) || q.panel.amount![i] !== Math.fround(p.amount![i]))
        throw new Error(`row ${i} differs`);
    }
  });
});
