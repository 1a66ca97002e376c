import { closeSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import type { ParquetColumnInput } from './parquet.types';
import { writeParquet } from './parquet.writer';
import type { ParquetWriteOptions } from './parquet.writer';
import { quoteCsv } from './rejects';

/**
 * Writes a panel in the long CSV format the CSV source reads
 * (`date,instrument,open,high,low,close,volume[,amount][,shares_out],industry`),
 * gzipped when the path ends in `.gz` (one gzip member per `blockRows` rows,
 * default 65,536: memory stays bounded and every gunzip reads concatenated
 * members). Numbers are printed with
 * `String(x)`, the shortest text that reads back to the same double, so
 * a round trip is exact. Written through a temporary file and renamed.
 */
export function writeBarsCsv(panel: BarPanel, path: string, options: { blockRows?: number } = {}): void {
  const blockRows = options.blockRows ?? 65_536;
  const header = ['date', 'instrument', 'open', 'high', 'low', 'close', 'volume'];
  if (panel.amount !== null) header.push('amount');
  if (panel.sharesOut !== null) header.push('shares_out');
  header.push('industry');
  const industries = panel.industries.map(quoteCsv);
  const instruments = panel.instruments.map(quoteCsv);
  const parts: string[] = [`${header.join(',')}\n`];
  let pending = 0;
  const gz = path.endsWith('.gz');
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w');
  const flush = (): void => {
    const text = Buffer.from(parts.join(''), 'utf8');
    parts.length = 0;
    pending = 0;
    const bytes = gz ? gzipSync(text, { level: 1 }) : text; // level 1: 3–4x faster than 6, files ~15 % larger
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
  };
  try {
    for (let i = 0; i < panel.length; i++) {
      let line = `${panel.calendar[panel.date[i]]},${instruments[panel.instrument[i]]},${panel.open[i]},${panel.high[i]},${panel.low[i]},${panel.close[i]},${panel.volume[i]}`;
      if (panel.amount !== null) line += `,${numberText(panel.amount[i])}`;
      if (panel.sharesOut !== null) line += `,${numberText(panel.sharesOut[i])}`;
      line += `,${industries[panel.industry[i]]}\n`;
      parts.push(line);
      if (++pending === blockRows) flush();
    }
    flush();
    closeSync(fd);
    renameSync(temp, path);
  } catch (err) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw err;
  }
}

/** NaN is written as an empty cell (the CSV source reads it back as NaN). */
function numberText(v: number): string {
  return Number.isNaN(v) ? '' : String(v);
}

/**
 * Writes a panel as a Parquet bar file the Parquet source reads: `date` as
 * DATE, `instrument` and `industry` dictionary-coded, prices and volumes as
 * DOUBLE. No copy of the string columns: the panel's dictionary codes are
 * written as they are.
 */
export async function writeBarsParquet(
  panel: BarPanel,
  path: string,
  options: ParquetWriteOptions = {},
): Promise<void> {
  const dayOf = Int32Array.from(panel.calendar, (d) => parseIsoDay(d));
  const date = new Int32Array(panel.length);
  for (let i = 0; i < panel.length; i++) date[i] = dayOf[panel.date[i]];
  const columns: ParquetColumnInput[] = [
    { name: 'date', type: 'date', values: date },
    { name: 'instrument', type: 'string', codes: panel.instrument, dictionary: panel.instruments },
    { name: 'open', type: 'double', values: panel.open },
    { name: 'high', type: 'double', values: panel.high },
    { name: 'low', type: 'double', values: panel.low },
    { name: 'close', type: 'double', values: panel.close },
    { name: 'volume', type: 'double', values: panel.volume },
  ];
  if (panel.amount !== null) columns.push({ name: 'amount', type: 'double', values: panel.amount });
  if (panel.sharesOut !== null) columns.push({ name: 'shares_out', type: 'double', values: panel.sharesOut });
  columns.push({ name: 'industry', type: 'string', codes: panel.industry, dictionary: panel.industries });
  await writeParquet(path, { length: panel.length, columns }, options);
}

/**
 * Writes the panel's industries as a table IndustryTable reads: static
 * `instrument,industry` when no instrument changes industry, else as-of
 * `instrument,date,industry` with one row per change (the first bar's date
 * opens each instrument's first span).
 */
export function writeIndustryTable(panel: BarPanel, path: string): void {
  const nInst = panel.instruments.length;
  const current = new Int32Array(nInst).fill(-1);
  const changes: string[] = [];
  let changed = false;
  for (let i = 0; i < panel.length; i++) {
    const k = panel.instrument[i];
    const g = panel.industry[i];
    if (current[k] === g) continue;
    if (current[k] >= 0) changed = true;
    current[k] = g;
    changes.push(
      `${quoteCsv(panel.instruments[k])},${panel.calendar[panel.date[i]]},${quoteCsv(panel.industries[g])}`,
    );
  }
  const text = changed
    ? `instrument,date,industry\n${changes.join('\n')}\n`
    : `instrument,industry\n${panel.instruments.map((name, k) => `${quoteCsv(name)},${current[k] >= 0 ? quoteCsv(panel.industries[current[k]]) : ''}`).join('\n')}\n`;
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
