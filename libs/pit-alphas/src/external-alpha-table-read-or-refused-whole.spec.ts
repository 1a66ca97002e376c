/**
 * Scenario: a user backtests their own signal from `csv:PATH` or
 * `parquet:PATH` (`date, instrument, alpha` in bps, optional
 * `horizon_days`). A good table comes back coded on the bars and sorted by
 * (date, instrument), whatever its row order; every kind of bad table is
 * refused whole with one line naming the problem and the offending value.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseIsoDay } from '@alphafeed/core';
import { writeParquet, type ParquetColumnInput } from '@alphafeed/data';
import { concatSegments } from './alpha-table';
import { writeAlphaTable } from './alpha-table.parquet';
import { PitInputError } from './errors';
import { readExternalAlphas } from './external-alphas.reader';

const panel = {
  calendar: ['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07'],
  instruments: ['AAA', 'BBB', 'CCC'],
};

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'alphafeed-external-alphas-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string, gz = false): string {
  const path = join(dir, name);
  writeFileSync(path, gz ? gzipSync(text) : text);
  return `csv:${path}`;
}

async function parquet(name: string, length: number, columns: ParquetColumnInput[]): Promise<string> {
  const path = join(dir, name);
  await writeParquet(path, { length, columns });
  return `parquet:${path}`;
}

async function refusal(spec: string | Promise<string>, options = {}): Promise<PitInputError> {
  try {
    await readExternalAlphas(await spec, panel, options);
  } catch (err) {
    expect(err).toBeInstanceOf(PitInputError);
    expect((err as Error).message).not.toContain('\n');
    return err as PitInputError;
  }
  throw new Error(`${await spec} was accepted`);
}

describe('a good table', () => {
  test('csv in any row order comes back sorted, coded on the bars, horizon_days defaulted', async () => {
    const spec = csv(
      'good.csv',
      'instrument,date,alpha,comment\nCCC,2020-01-06,-3.5,x\n"AAA",2020-01-03,12,"a, quoted"\nBBB,2020-01-03,0.25,\r\nAAA,2020-01-06,7,y\n',
    );
    const t = await readExternalAlphas(spec, panel, { horizonDays: 30 });
    expect(t.length).toBe(4);
    expect(Array.from(t.date, (d) => panel.calendar[d])).toEqual([
      '2020-01-03',
      '2020-01-03',
      '2020-01-06',
      '2020-01-06',
    ]);
    expect(Array.from(t.instrument, (i) => panel.instruments[i])).toEqual(['AAA', 'BBB', 'AAA', 'CCC']);
    expect(Array.from(t.alphaCombined)).toEqual([12, 0.25, 7, -3.5]);
    expect(Array.from(t.horizonDays)).toEqual([30, 30, 30, 30]);
    expect(t.horizons).toEqual([]);
    expect(t.modelIds).toEqual([spec]);
    expect(t.calendar).toBe(panel.calendar);
  });

  test('gzipped csv with horizon_days; default H is 21', async () => {
    const spec = csv(
      'good.csv.gz',
      'date,instrument,alpha,horizon_days\n2020-01-07,BBB,5,10\n2020-01-02,CCC,-5,42.5\n',
      true,
    );
    const t = await readExternalAlphas(spec, panel);
    expect(Array.from(t.horizonDays)).toEqual([42.5, 10]);
    const noH = await readExternalAlphas(csv('noh.csv', 'date,instrument,alpha\n2020-01-07,BBB,5\n'), panel);
    expect(Array.from(noH.horizonDays)).toEqual([21]);
  });

  test('parquet with DATE, text or timestamp dates and float or integer alphas', async () => {
    const days = Int32Array.from(['2020-01-07', '2020-01-02'], parseIsoDay);
    const inst = { name: 'instrument', type: 'string' as const, values: ['AAA', 'CCC'] };
    const alpha = { name: 'alpha', type: 'double' as const, values: Float64Array.of(1.5, -2) };
    for (const [name, date] of [
      ['date.parquet', { name: 'date', type: 'date', values: days }],
      ['text.parquet', { name: 'date', type: 'string', values: ['2020-01-07', '2020-01-02'] }],
    ] as const) {
      const t = await readExternalAlphas(await parquet(name, 2, [date, inst, alpha]), panel);
      expect(Array.from(t.date)).toEqual([0, 3]);
      expect(Array.from(t.alphaCombined)).toEqual([-2, 1.5]);
    }
    const ints = await parquet('int.parquet', 2, [
      { name: 'date', type: 'date', values: days },
      inst,
      { name: 'alpha', type: 'int32', values: Int32Array.of(3, 4) },
      { name: 'horizon_days', type: 'float', values: Float32Array.of(5, 63) },
    ]);
    const t = await readExternalAlphas(ints, panel);
    expect(Array.from(t.alphaCombined)).toEqual([4, 3]);
    expect(Array.from(t.horizonDays)).toEqual([63, 5]);
  });

  test('an alphas_pit.parquet written earlier is read through alpha_combined and its horizon_days', async () => {
    const seg = {
      date: Int32Array.of(1, 1, 2),
      instrument: Int32Array.of(0, 2, 1),
      alphas: [Float64Array.of(1, 2, 3), Float64Array.of(4, 5, 6)],
      alphaCombined: Float64Array.of(7, 8, 9),
      variance: [100, 200],
      horizonDays: 31.5,
      modelId: 'model2-us-2020-01-02-abc',
    };
    const path = join(dir, 'alphas_pit.parquet');
    await writeAlphaTable(
      path,
      concatSegments('point-in-time', panel.calendar, panel.instruments, [21, 63], [seg]),
    );
    const t = await readExternalAlphas(`parquet:${path}`, panel);
    expect(Array.from(t.alphaCombined)).toEqual([7, 8, 9]);
    expect(Array.from(t.horizonDays)).toEqual([31.5, 31.5, 31.5]);
  });
});

describe('a bad table is refused with one line', () => {
  test.each([
    ['not a source spec', 'alphas.csv', /not parquet:PATH or csv:PATH/],
    ['missing file', `csv:/nonexistent/alphas.csv`, /no such file/],
  ])('%s', async (_, spec, message) => {
    expect((await refusal(spec)).message).toMatch(message);
  });

  test.each([
    ['empty file', '', 'ALPHA_EMPTY', /is empty \(no header line\)/],
    ['header only', 'date,instrument,alpha\n', 'ALPHA_EMPTY', /has no rows/],
    [
      'missing columns',
      'day,ticker,alpha\n2020-01-02,AAA,1\n',
      'ALPHA_COLUMNS',
      /no columns date, instrument \(columns: day, ticker, alpha\)/,
    ],
    ['missing alpha', 'date,instrument,score\n2020-01-02,AAA,1\n', 'ALPHA_COLUMNS', /no column alpha /],
    [
      'ragged row',
      'date,instrument,alpha\n2020-01-02,AAA\n',
      'ALPHA_COLUMNS',
      /line 2 has 2 cells, the header 3/,
    ],
    [
      'NaN alpha',
      'date,instrument,alpha\n2020-01-02,AAA,1\n2020-01-03,BBB,NaN\n',
      'ALPHA_VALUE',
      /alpha is NaN \(line 3, 2020-01-03, BBB\)/,
    ],
    [
      'Inf alpha',
      'date,instrument,alpha\n2020-01-02,AAA,-Infinity\n',
      'ALPHA_VALUE',
      /alpha is -Infinity \(line 2/,
    ],
    ['empty alpha', 'date,instrument,alpha\n2020-01-02,AAA,\n', 'ALPHA_VALUE', /alpha is NaN \(line 2/],
    ['text alpha', 'date,instrument,alpha\n2020-01-02,AAA,high\n', 'ALPHA_VALUE', /alpha is NaN \(line 2/],
    [
      'bad horizon_days',
      'date,instrument,alpha,horizon_days\n2020-01-02,AAA,1,0\n',
      'ALPHA_VALUE',
      /horizon_days is 0 \(line 2/,
    ],
    [
      'unknown instruments',
      'date,instrument,alpha\n2020-01-02,AAA,1\n2020-01-02,ZZZ,1\n2020-01-03,YYY,1\n',
      'ALPHA_INSTRUMENT',
      /2 instruments are not in the bars \(3 instruments\), first "ZZZ" \(line 3\), all: ZZZ, YYY/,
    ],
    [
      'weekend date',
      'date,instrument,alpha\n2020-01-04,AAA,1\n',
      'ALPHA_DATE',
      /date "2020-01-04" \(line 2\) is not a trading date of the bars \(4 dates 2020-01-02 \.\. 2020-01-07/,
    ],
    [
      'malformed date',
      'date,instrument,alpha\n2020-01-02,AAA,1\n01/03/2020,AAA,1\n',
      'ALPHA_DATE',
      /date "01\/03\/2020" \(line 3\)/,
    ],
    [
      'duplicate',
      'date,instrument,alpha\n2020-01-03,BBB,1\n2020-01-02,AAA,1\n2020-01-03,BBB,2\n',
      'ALPHA_DUPLICATE',
      /\(2020-01-03, BBB\) appears twice \(line 2 and line 4\)/,
    ],
  ])('csv: %s', async (name, text, reason, message) => {
    const err = await refusal(csv(`${name.replace(/ /g, '_')}.csv`, text));
    expect(err.reason).toBe(reason);
    expect(err.message).toMatch(message);
  });

  test('parquet: nulls, bad types and unknown values are refused the same way', async () => {
    const date = { name: 'date', type: 'date' as const, values: Int32Array.of(parseIsoDay('2020-01-02')) };
    const inst = { name: 'instrument', type: 'string' as const, values: ['AAA'] };
    expect(
      (await refusal(
        parquet('nan.parquet', 1, [
          date,
          inst,
          { name: 'alpha', type: 'double', values: Float64Array.of(NaN) },
        ]),
      )).message,
    ).toMatch(/alpha is NaN \(row 1, 2020-01-02, AAA\)/);
    expect(
      (await refusal(
        parquet('intdate.parquet', 1, [
          { name: 'date', type: 'int32', values: Int32Array.of(20200102) },
          inst,
          { name: 'alpha', type: 'double', values: Float64Array.of(1) },
        ]),
      )).message,
    ).toMatch(/column date is int32; write it as a Parquet DATE/);
    expect(
      (await refusal(
        parquet('noalpha.parquet', 1, [
          date,
          inst,
          { name: 'signal', type: 'double', values: Float64Array.of(1) },
        ]),
      )).reason,
    ).toBe('ALPHA_COLUMNS');
    expect(
      (await refusal(
        parquet('empty.parquet', 0, [
          { name: 'date', type: 'date', values: new Int32Array(0) },
          { name: 'instrument', type: 'string', values: [] },
          { name: 'alpha', type: 'double', values: new Float64Array(0) },
        ]),
      )).reason,
    ).toBe('ALPHA_EMPTY');
  });

  test('alphas that look like fractions are read but warned about', async () => {
    const warnings: string[] = [];
    await readExternalAlphas(
      csv('fractions.csv', 'date,instrument,alpha\n2020-01-02,AAA,0.0012\n2020-01-02,BBB,-0.003\n'),
      panel,
      {
        logger: { info: () => undefined, warn: (m) => warnings.push(m) },
      },
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/every \|alpha\| is below 1 bps/);
  });
});
