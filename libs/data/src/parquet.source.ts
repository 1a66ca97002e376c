import { InputError, formatIsoDay, parseIsoDay } from '@alphafeed/core';
import { BarRecord } from './bar-admission';
import { BarAccumulator } from './bar.accumulator';
import type { ParquetColumn, ParquetTable } from './parquet.types';
import { readParquetBatches, readParquetSchema } from './parquet.reader';
import type { RejectReason } from './rejects';
import { OPTIONAL_BAR_COLUMNS, REQUIRED_BAR_COLUMNS } from './source.types';
import type { SourceContext, SourceOutput } from './source.types';

const MS_PER_DAY = 86_400_000;

/**
 * Bars from a Parquet file with the CSV's column names. `date` may be a DATE
 * column, a midnight TIMESTAMP (what pandas writes for datetime64) or ISO
 * text; numbers may be any numeric type; nulls count as empty cells. The
 * file is read in batches of rows (columns as typed arrays, `readParquetBatches`), whose
 * rows go through the same checks and accumulator as the CSV source, so
 * memory is the accumulated bars plus one batch. The
 * rejects file's `line` is the 1-based row number, `raw` the row's values.
 */
export async function readParquetBars(path: string, ctx: SourceContext): Promise<SourceOutput> {
  const names = (await readParquetSchema(path)).columns.map((c) => c.name);
  const missing = REQUIRED_BAR_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new InputError(
      `parquet bar file ${path} lacks column(s) ${missing.join(', ')}; it has ${names.join(', ')}. ` +
        `Required: ${REQUIRED_BAR_COLUMNS.join(',')}; optional: ${OPTIONAL_BAR_COLUMNS.join(',')}`,
    );
  }
  // In the file's order, so a rejected row's raw text reads like the file.
  const barColumns: readonly string[] = [...REQUIRED_BAR_COLUMNS, ...OPTIONAL_BAR_COLUMNS];
  const wanted = names.filter((c) => barColumns.includes(c));
  const acc = new BarAccumulator({
    hasAmount: wanted.includes('amount'),
    hasSharesOut: wanted.includes('shares_out'),
    admission: ctx.admission,
    rejects: ctx.rejects,
  });
  // File dictionary ids -> admission ids, resolved once per distinct string (one dictionary per file).
  const instIds: number[] = [];
  const industryIds: number[] = [];
  const { numRows } = await readParquetBatches(
    path,
    { columns: wanted, onProgress: ctx.onProgress },
    (table, firstRow) => readGroup(table, firstRow, path, acc, ctx, instIds, industryIds),
  );
  return {
    panel: acc.finish(),
    rowsRead: numRows,
    hasAmount: wanted.includes('amount'),
    hasSharesOut: wanted.includes('shares_out'),
  };
}

/** Checks and appends the rows of one batch; `firstRow` numbers them in the file. */
function readGroup(
  table: ParquetTable,
  firstRow: number,
  path: string,
  acc: BarAccumulator,
  ctx: SourceContext,
  instIds: number[],
  industryIds: number[],
): void {
  const col = (name: string): ParquetColumn | undefined => table.columns.find((c) => c.name === name);
  const days = dayColumn(col('date') as ParquetColumn, path);
  const inst = col('instrument') as ParquetColumn;
  if (inst.type !== 'string')
    throw new InputError(`parquet bar file ${path}: instrument must be a string column, it is ${inst.type}`);
  const industryCol = col('industry');
  if (industryCol !== undefined && industryCol.type !== 'string') {
    throw new InputError(
      `parquet bar file ${path}: industry must be a string column, it is ${industryCol.type}`,
    );
  }
  const open = numberColumn(col('open') as ParquetColumn, path);
  const high = numberColumn(col('high') as ParquetColumn, path);
  const low = numberColumn(col('low') as ParquetColumn, path);
  const close = numberColumn(col('close') as ParquetColumn, path);
  const volume = numberColumn(col('volume') as ParquetColumn, path);
  const amountCol = col('amount');
  const sharesCol = col('shares_out');
  const factorCol = col('factor');
  const amount = amountCol === undefined ? null : numberColumn(amountCol, path);
  const shares = sharesCol === undefined ? null : numberColumn(sharesCol, path);
  const factor = factorCol === undefined ? null : numberColumn(factorCol, path);

  const admission = ctx.admission;
  for (let k = instIds.length; k < inst.dictionary.length; k++) {
    instIds.push(admission.instrumentId(inst.dictionary[k].trim()));
  }
  const industryCodes = industryCol !== undefined && industryCol.type === 'string' ? industryCol.codes : null;
  if (industryCol !== undefined && industryCol.type === 'string') {
    for (let k = industryIds.length; k < industryCol.dictionary.length; k++) {
      industryIds.push(admission.industryId(industryCol.dictionary[k].trim()));
    }
  }

  const reject = (i: number, reason: RejectReason): void => {
    ctx.rejects.add(firstRow + i + 1, reason, table.columns.map((c) => cellText(c, i)).join(','));
  };
  const bar = new BarRecord();
  for (let i = 0; i < table.length; i++) {
    bar.day = days[i];
    const code = inst.codes[i];
    bar.instrument = code < 0 ? -1 : instIds[code];
    bar.unparsable = false;
    bar.open = open[i];
    bar.high = high[i];
    bar.low = low[i];
    bar.close = close[i];
    bar.volume = volume[i];
    bar.amount = amount === null ? NaN : amount[i];
    bar.sharesOut = shares === null ? NaN : shares[i];
    bar.factor = factor === null ? 1 : factor[i];
    bar.industry = industryCodes === null || industryCodes[i] < 0 ? -1 : industryIds[industryCodes[i]];
    const refused = admission.admit(bar);
    if (refused !== null) {
      reject(i, refused);
      continue;
    }
    if (acc.isRepeat(bar.instrument, bar.day)) {
      reject(i, 'duplicate_key');
      continue;
    }
    acc.append(firstRow + i + 1, bar);
  }
}

/** Day numbers; NaN where null, unparsable or not a whole day. */
function dayColumn(c: ParquetColumn, path: string): Float64Array {
  const n = c.type === 'string' ? c.codes.length : c.values.length;
  const out = new Float64Array(n);
  if (c.type === 'date') {
    for (let i = 0; i < n; i++) out[i] = c.nulls !== null && c.nulls[i] === 1 ? NaN : c.values[i];
  } else if (c.type === 'timestamp') {
    for (let i = 0; i < n; i++) {
      const ms = c.values[i];
      out[i] = (c.nulls !== null && c.nulls[i] === 1) || ms % MS_PER_DAY !== 0 ? NaN : ms / MS_PER_DAY;
    }
  } else if (c.type === 'string') {
    const parsed = c.dictionary.map((s) => parseIsoDay(s.trim()));
    for (let i = 0; i < n; i++) out[i] = c.codes[i] < 0 ? NaN : parsed[c.codes[i]];
  } else {
    throw new InputError(
      `parquet bar file ${path}: date must be a DATE, TIMESTAMP or YYYY-MM-DD string column, it is ${c.type}`,
    );
  }
  return out;
}

/** Values as float64, NaN for nulls; a Float64Array column is used as is. */
function numberColumn(c: ParquetColumn, path: string): Float64Array {
  if (c.type === 'double') return c.values;
  if (c.type === 'float') return Float64Array.from(c.values);
  if (c.type === 'int32' || c.type === 'int64') {
    const out = c.type === 'int64' ? c.values : Float64Array.from(c.values);
    if (c.nulls !== null) for (let i = 0; i < out.length; i++) if (c.nulls[i] === 1) out[i] = NaN;
    return out;
  }
  throw new InputError(`parquet bar file ${path}: column ${c.name} must be numeric, it is ${c.type}`);
}

function cellText(c: ParquetColumn, i: number): string {
  if (c.type === 'string') return c.codes[i] < 0 ? '' : c.dictionary[c.codes[i]];
  if ('nulls' in c && c.nulls !== null && c.nulls[i] === 1) return '';
  if (c.type === 'date') return formatIsoDay(c.values[i]);
  if (c.type === 'timestamp') return new Date(c.values[i]).toISOString();
  const v = c.values[i];
  return Number.isNaN(v) ? '' : String(v);
}
