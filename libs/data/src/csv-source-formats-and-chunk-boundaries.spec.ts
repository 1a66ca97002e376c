import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readCsvBars } from './csv.source';
import { loadBars } from './load-bars';
import { BarAdmission } from './bar-admission';
import { RejectLog } from './rejects';
import { panelRows, tempDir } from './test-helpers';

describe('csv source formats', () => {
  const tmp = tempDir('csv-formats');
  afterAll(tmp.cleanup);
  // Columns in another order, an extra column, a BOM, CRLF, quoted cells (a comma and a doubled quote), a factor.
  const text =
    '\uFEFFInstrument,Date,extra,open,high,low,close,volume,industry,factor,amount\r\n' +
    'X,2020-01-02,"a, b",10,12,9,11,1000,"Oil, Gas ""Fuels""",0.5,11000\r\n' +
    'Y,2020-01-02,,1.5e1,1.6E+1,14,15,200,Banks,1,3000\r\n' +
    '\r\n' +
    'X,2020-01-03,z,11,11.5,10.5,11.25,800,"Oil, Gas ""Fuels""",0.5,\r\n' +
    'Y,2020-01-03,,15,15.5,14.5,15.25,0,Banks,1,0';
  const expected = [
    ['2020-01-02', 'X', 'Oil, Gas "Fuels"', 5, 6, 4.5, 5.5, 2000, 11000],
    ['2020-01-02', 'Y', 'Banks', 15, 16, 14, 15, 200, 3000],
    ['2020-01-03', 'X', 'Oil, Gas "Fuels"', 5.5, 5.75, 5.25, 5.625, 1600, NaN],
    ['2020-01-03', 'Y', 'Banks', 15, 15.5, 14.5, 15.25, 0, 0],
  ];

  it('reads header-named columns in any order, quotes, CRLF, BOM, no final newline, and applies the factor (SPEC §1)', async () => {
    const path = join(tmp.dir, 'formats.csv');
    writeFileSync(path, text);
    const res = await loadBars({ kind: 'csv', path }, { region: 'us' });
    expect(res.hasAmount).toBe(true);
    expect(res.rejects.rowsRead).toBe(4);
    expect(panelRows(res.panel)).toEqual(expected);
  });

  it('gives the same panel whatever the chunk size, plain or gzipped (records cut at every byte)', async () => {
    const plain = join(tmp.dir, 'chunks.csv');
    const gz = join(tmp.dir, 'chunks.csv.gz');
    writeFileSync(plain, text);
    writeFileSync(gz, gzipSync(Buffer.from(text)));
    for (const chunk of [1, 2, 3, 7, 64]) {
      for (const path of [plain, gz]) {
        const out = await readCsvBars(
          path,
          { industryTable: null, admission: new BarAdmission(), rejects: new RejectLog(undefined) },
          chunk,
        );
        expect({ chunk, path, rows: panelRows(out.panel) }).toEqual({ chunk, path, rows: expected });
      }
    }
  });

  it('parses numbers exactly like Number() on the text', async () => {
    const values = [
      '0.1',
      '1e-7',
      '123456789.123456789',
      '0.30000000000000004',
      '4.35',
      '1.7976931348623157e308',
      '5e-324',
      '00012.500',
      '.5',
      '7.',
    ];
    const path = join(tmp.dir, 'numbers.csv');
    writeFileSync(
      path,
      `date,instrument,open,high,low,close,volume,industry\n${values.map((v, k) => `2020-01-${String(k + 1).padStart(2, '0')},A,${v},${v},${v},${v},${v},I`).join('\n')}\n`,
    );
    // The parser, not the admission's maxima, is under test here: 1.8e308 as a price is let through.
    const res = await loadBars(
      { kind: 'csv', path },
      { region: 'us', admission: { maxPrice: Infinity, maxVolume: Infinity } },
    );
    expect(Array.from(res.panel.close)).toEqual(values.map(Number));
  });

  it('refuses an empty file and an unreadable path with InputErrors', async () => {
    const empty = join(tmp.dir, 'empty.csv');
    writeFileSync(empty, '');
    await expect(loadBars({ kind: 'csv', path: empty }, { region: 'us' })).rejects.toThrow(
      /is empty; it needs a header line/,
    );
    await expect(
      loadBars({ kind: 'csv', path: join(tmp.dir, 'nope.csv') }, { region: 'us' }),
    ).rejects.toThrow(/cannot read bar file/);
  });
});
