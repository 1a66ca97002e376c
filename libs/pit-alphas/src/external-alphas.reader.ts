/**
 * A user's own alpha table for the backtest (`--alphas parquet:PATH` or
 * `csv:PATH`): columns `date, instrument, alpha` in bps, optionally
 * `horizon_days` (else `portfolio.horizon_days`, default 21, SPEC §9). A
 * table without `alpha` but with `alpha_combined` (an `alphas_pit.parquet`
 * written earlier) is read through that column.
 *
 * Returned in the shape of the point-in-time table (`alphaCombined` =
 * alpha, no per-horizon columns), coded on the bar panel and sorted by
 * (date, instrument). Bad input is refused whole with one line naming what
 * was wrong, the offending value and what to do; nothing partial is
 * returned: no rows, missing columns, a NaN/±Inf or empty alpha, a
 * horizon_days that is not a positive number, a date that is not a trading
 * date of the bars, an instrument the bars do not have, a repeated
 * (date, instrument). O(rows log rows) for the sort; memory a few typed
 * arrays per row.
 */
import { existsSync } from 'node:fs';
import { formatIsoDay } from '@alphafeed/core';
import { readParquet, readParquetSchema, type ParquetColumn } from '@alphafeed/data';
import type { TrainLogger } from '@alphafeed/training';
import { readCsvColumns, CsvShapeError } from './alpha-csv.parser';
import type { AlphaTable } from './alpha-table';
import { PitInputError } from './errors';
import { dayPositions, recode, sortRows, type PanelKeys } from './table-keys';

export const DEFAULT_HORIZON_DAYS = 21;

export interface ExternalAlphaOptions {
  /** `H` for tables without a `horizon_days` column (`portfolio.horizon_days`, default 21). */
  readonly horizonDays?: number;
  /** Receives warnings (e.g. alphas that look like fractions, not bps). */
  readonly logger?: TrainLogger;
}

/** The table's columns as read, before they are checked against the bars. */
interface RawAlphas {
  readonly length: number;
  /** Calendar position per row; -1 for a date that is not in the calendar. */
  readonly date: Int32Array;
  /** The date as written, for messages. */
  readonly dateText: (row: number) => string;
  readonly instrument: Int32Array;
  readonly instrumentText: (row: number) => string;
  readonly alpha: Float64Array;
  readonly horizonDays: Float64Array | null;
  /** How to name row r in a message (`line 12`, `row 11`). */
  readonly where: (row: number) => string;
  readonly alphaColumn: string;
}

/** Reads and checks `spec` (`parquet:PATH` | `csv:PATH`) against the bar panel's calendar and instruments. */
export async function readExternalAlphas(
  spec: string,
  panel: PanelKeys,
  options: ExternalAlphaOptions = {},
): Promise<AlphaTable> {
  const m = /^(parquet|csv):(.+)$/.exec(spec);
  if (m === null) {
    throw new PitInputError(
      'ALPHA_SOURCE',
      `alpha table "${spec}" is not parquet:PATH or csv:PATH; name the file with its format, e.g. csv:my_alphas.csv.`,
    );
  }
  const [, format, path] = m;
  const defaultH = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!(Number.isFinite(defaultH) && defaultH > 0)) {
    throw new PitInputError(
      'ALPHA_VALUE',
      `horizon_days must be a positive number of dates, got ${defaultH}.`,
    );
  }
  if (!existsSync(path)) {
    throw new PitInputError('ALPHA_SOURCE', `alpha table ${spec}: no such file ${path}; check the path.`);
  }
  const raw = format === 'csv' ? readCsv(spec, path, panel) : await readParquetAlphas(spec, path, panel);
  return checkedTable(spec, raw, panel, defaultH, options.logger);
}

/** `date, instrument, alpha` (or `alpha_combined`), optional `horizon_days`; missing ones named in one line. */
function chooseColumns(spec: string, header: readonly string[]): { alpha: string; hasH: boolean } {
  if (header.length === 0) {
    throw new PitInputError(
      'ALPHA_EMPTY',
      `alpha table ${spec} is empty (no header line); it needs date, instrument, alpha.`,
    );
  }
  const alpha = header.includes('alpha')
    ? 'alpha'
    : header.includes('alpha_combined')
      ? 'alpha_combined'
      : null;
  const missing = [
    ...['date', 'instrument'].filter((c) => !header.includes(c)),
    ...(alpha === null ? ['alpha'] : []),
  ];
  if (missing.length > 0) {
    throw new PitInputError(
      'ALPHA_COLUMNS',
      `alpha table ${spec} has no column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(columns: ${header.join(', ')}); it needs date, instrument, alpha (bps) and optionally horizon_days.`,
    );
  }
  return { alpha: alpha as string, hasH: header.includes('horizon_days') };
}

function readCsv(spec: string, path: string, panel: PanelKeys): RawAlphas {
  let alphaColumn = 'alpha';
  let cols;
  try {
    cols = readCsvColumns(path, (header) => {
      const c = chooseColumns(spec, header);
      alphaColumn = c.alpha;
      return { text: ['date', 'instrument'], numbers: [c.alpha, ...(c.hasH ? ['horizon_days'] : [])] };
    });
  } catch (err) {
    if (err instanceof CsvShapeError) {
      throw new PitInputError(
        'ALPHA_COLUMNS',
        `alpha table ${spec}: ${err.message}; every row needs one cell per column.`,
      );
    }
    throw err;
  }
  const date = cols.text.date;
  const inst = cols.text.instrument;
  return {
    length: cols.length,
    date: recode(date.codes, date.dictionary, panel.calendar),
    dateText: (r) => date.dictionary[date.codes[r]],
    instrument: recode(inst.codes, inst.dictionary, panel.instruments),
    instrumentText: (r) => inst.dictionary[inst.codes[r]],
    alpha: cols.numbers[alphaColumn],
    horizonDays: cols.numbers.horizon_days ?? null,
    where: (r) => `line ${cols.line[r]}`,
    alphaColumn,
  };
}

async function readParquetAlphas(spec: string, path: string, panel: PanelKeys): Promise<RawAlphas> {
  const schema = await readParquetSchema(path);
  const { alpha, hasH } = chooseColumns(
    spec,
    schema.columns.map((c) => c.name),
  );
  const file = await readParquet(path, {
    columns: ['date', 'instrument', alpha, ...(hasH ? ['horizon_days'] : [])],
  });
  const col = (name: string): ParquetColumn => file.columns.find((c) => c.name === name) as ParquetColumn;
  const d = col('date');
  let date: Int32Array;
  let dateText: (r: number) => string;
  if (d.type === 'date') {
    date = dayPositions(d.values, panel.calendar);
    dateText = (r) => (d.nulls?.[r] ? 'null' : formatIsoDay(d.values[r]));
    if (d.nulls !== null) for (let r = 0; r < file.length; r++) if (d.nulls[r]) date[r] = -1;
  } else if (d.type === 'string') {
    date = recode(d.codes, d.dictionary, panel.calendar);
    dateText = (r) => (d.codes[r] < 0 ? 'null' : d.dictionary[d.codes[r]]);
  } else if (d.type === 'timestamp') {
    const days = new Int32Array(file.length);
    for (let r = 0; r < file.length; r++) {
      const day = d.values[r] / 86_400_000;
      days[r] = Number.isInteger(day) && !d.nulls?.[r] ? day : -(2 ** 30);
    }
    date = dayPositions(days, panel.calendar);
    dateText = (r) => (d.nulls?.[r] ? 'null' : new Date(d.values[r]).toISOString());
  } else {
    throw new PitInputError(
      'ALPHA_COLUMNS',
      `alpha table ${spec}: column date is ${d.type}; write it as a Parquet DATE, a timestamp at midnight UTC, or YYYY-MM-DD text.`,
    );
  }
  const i = col('instrument');
  if (i.type !== 'string') {
    throw new PitInputError(
      'ALPHA_COLUMNS',
      `alpha table ${spec}: column instrument is ${i.type}; write instrument codes as text.`,
    );
  }
  return {
    length: file.length,
    date,
    dateText,
    instrument: recode(i.codes, i.dictionary, panel.instruments),
    instrumentText: (r) => (i.codes[r] < 0 ? 'null' : i.dictionary[i.codes[r]]),
    alpha: numbers(spec, col(alpha)),
    horizonDays: hasH ? numbers(spec, col('horizon_days')) : null,
    where: (r) => `row ${r + 1}`,
    alphaColumn: alpha,
  };
}

/** A numeric Parquet column as float64, nulls as NaN. */
function numbers(spec: string, c: ParquetColumn): Float64Array {
  switch (c.type) {
    case 'double':
      return c.values;
    case 'float':
      return Float64Array.from(c.values);
    case 'int32':
    case 'int64': {
      const out = Float64Array.from(c.values);
      if (c.nulls !== null) for (let r = 0; r < out.length; r++) if (c.nulls[r]) out[r] = NaN;
      return out;
    }
    default:
      throw new PitInputError(
        'ALPHA_COLUMNS',
        `alpha table ${spec}: column ${c.name} is ${c.type}; it must be numeric.`,
      );
  }
}

function checkedTable(
  spec: string,
  raw: RawAlphas,
  panel: PanelKeys,
  defaultH: number,
  log: TrainLogger | undefined,
): AlphaTable {
  const n = raw.length;
  const cal = panel.calendar;
  if (n === 0) {
    throw new PitInputError(
      'ALPHA_EMPTY',
      `alpha table ${spec} has no rows; it needs one alpha per (date, instrument) to trade.`,
    );
  }
  const badDate = raw.date.indexOf(-1);
  if (badDate >= 0) {
    throw new PitInputError(
      'ALPHA_DATE',
      `alpha table ${spec}: date "${raw.dateText(badDate)}" (${raw.where(badDate)}) is not a trading date of the bars ` +
        `(${cal.length} dates ${cal[0]} .. ${cal[cal.length - 1]}, written YYYY-MM-DD); drop the row or fix the date.`,
    );
  }
  const badInst = raw.instrument.indexOf(-1);
  if (badInst >= 0) {
    const unknown = new Set<string>();
    for (let r = 0; r < n; r++) if (raw.instrument[r] < 0) unknown.add(raw.instrumentText(r));
    const names = [...unknown];
    throw new PitInputError(
      'ALPHA_INSTRUMENT',
      `alpha table ${spec}: ${names.length} instrument${names.length > 1 ? 's are' : ' is'} not in the bars ` +
        `(${panel.instruments.length} instruments), first "${raw.instrumentText(badInst)}" (${raw.where(badInst)})` +
        `${names.length > 1 ? `, all: ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''}` : ''}; ` +
        `drop their rows or load their bars.`,
    );
  }
  for (let r = 0; r < n; r++) {
    const a = raw.alpha[r];
    if (!(a - a === 0)) {
      throw new PitInputError(
        'ALPHA_VALUE',
        `alpha table ${spec}: ${raw.alphaColumn} is ${a} (${raw.where(r)}, ${raw.dateText(r)}, ${raw.instrumentText(r)}); ` +
          `every alpha must be a finite number in bps (drop the row if the signal has no value).`,
      );
    }
    const h = raw.horizonDays?.[r];
    if (h !== undefined && !(Number.isFinite(h) && h > 0)) {
      throw new PitInputError(
        'ALPHA_VALUE',
        `alpha table ${spec}: horizon_days is ${h} (${raw.where(r)}, ${raw.dateText(r)}, ${raw.instrumentText(r)}); ` +
          `it must be a positive number of trading dates.`,
      );
    }
  }
  const { order, duplicate } = sortRows(raw.date, raw.instrument, panel.instruments.length);
  if (duplicate !== null) {
    const [first, again] = duplicate[0] < duplicate[1] ? duplicate : [duplicate[1], duplicate[0]];
    throw new PitInputError(
      'ALPHA_DUPLICATE',
      `alpha table ${spec}: (${raw.dateText(again)}, ${raw.instrumentText(again)}) appears twice ` +
        `(${raw.where(first)} and ${raw.where(again)}); keep one alpha per date and instrument.`,
    );
  }
  const date = new Int32Array(n);
  const instrument = new Int32Array(n);
  const alpha = new Float64Array(n);
  const horizonDays = new Float64Array(n).fill(defaultH);
  let small = true;
  for (let i = 0; i < n; i++) {
    const r = order[i];
    date[i] = raw.date[r];
    instrument[i] = raw.instrument[r];
    alpha[i] = raw.alpha[r];
    if (raw.horizonDays !== null) horizonDays[i] = raw.horizonDays[r];
    if (Math.abs(alpha[i]) >= 1) small = false;
  }
  if (small) {
    log?.warn?.(
      `alpha table ${spec}: every |alpha| is below 1 bps; alphas are read in bps (1 bps = 0.0001), ` +
        `so fractions would be traded as almost nothing. Multiply by 1e4 if they are fractions.`,
    );
  }
  return {
    source: spec,
    calendar: cal,
    instruments: panel.instruments,
    length: n,
    date,
    instrument,
    horizons: [],
    alphas: [],
    variances: [],
    alphaCombined: alpha,
    horizonDays,
    model: new Int32Array(n),
    modelIds: [spec],
  };
}
