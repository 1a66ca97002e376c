/**
 * Alphas from a table (the point-in-time table of SPEC §9, or a user's own
 * `date, instrument, alpha` table) placed on the market's calendar and
 * instrument list, checked once at the boundary: bad input is one line
 * naming the row, the value and what to do, and nothing is run.
 * O(rows log rows) for the sort by date; no per-row objects.
 */
import { formatIsoDay } from '@alphafeed/core';
import { BacktestInputError } from './errors';
import type { MarketPanel } from './market-panel';
import type { AlphaRows } from './signal-metrics';

export interface AlphaTable {
  /** Where the table came from, for messages (e.g. `parquet:alphas.parquet`). */
  readonly source: string;
  readonly length: number;
  /** Day numbers (days since 1970-01-01). */
  readonly day: Int32Array;
  /** Instrument codes, dictionary-coded. */
  readonly instrument: { readonly codes: Int32Array; readonly dictionary: readonly string[] };
  /** Alpha in bps. */
  readonly alpha: Float64Array;
}

/**
 * Rows sorted by (date, instrument). Refused: an empty table; a NaN or
 * infinite alpha; an instrument without bars in the market; a date off the
 * market's calendar; the same (date, instrument) twice.
 */
export function alphaRowsOnMarket(table: AlphaTable, market: MarketPanel): AlphaRows {
  const { source } = table;
  if (table.length === 0)
    throw new BacktestInputError(
      'ALPHAS',
      `${source} has no alpha rows; a backtest needs alphas on at least one date`,
    );
  const position = new Map<number, number>();
  market.calendar.forEach((iso, d) => position.set(Date.parse(`${iso}T00:00:00Z`) / 86_400_000, d));
  const instrumentIndex = new Map<string, number>();
  market.instruments.forEach((code, i) => instrumentIndex.set(code, i));
  const byCode = Int32Array.from(table.instrument.dictionary, (code) => instrumentIndex.get(code) ?? -1);

  const date = new Int32Array(table.length);
  const instrument = new Int32Array(table.length);
  for (let row = 0; row < table.length; row++) {
    const a = table.alpha[row];
    const code = table.instrument.dictionary[table.instrument.codes[row]];
    const iso = formatIsoDay(table.day[row]);
    if (!Number.isFinite(a))
      throw new BacktestInputError(
        'ALPHAS',
        `${source}: row ${row + 1} (${iso}, ${code}) has alpha ${a}; every alpha must be a finite number of bps — fix or drop the row`,
      );
    const i = byCode[table.instrument.codes[row]];
    if (i < 0)
      throw new BacktestInputError(
        'ALPHAS',
        `${source}: row ${row + 1} names instrument "${code}", which has no bars in the data; check the code or the data source`,
      );
    const d = position.get(table.day[row]);
    if (d === undefined)
      throw new BacktestInputError(
        'ALPHAS',
        `${source}: row ${row + 1} (${code}) is dated ${iso}, not a trading date of the data (${market.calendar[0]} to ${market.calendar[market.calendar.length - 1]})`,
      );
    date[row] = d;
    instrument[row] = i;
  }
  const N = market.instruments.length;
  const key = new Float64Array(table.length);
  for (let row = 0; row < table.length; row++) key[row] = date[row] * N + instrument[row];
  const order = Int32Array.from({ length: table.length }, (_, k) => k).sort((x, y) => key[x] - key[y]);
  const out = {
    length: table.length,
    date: new Int32Array(table.length),
    instrument: new Int32Array(table.length),
    alpha: new Float64Array(table.length),
  };
  for (let k = 0; k < order.length; k++) {
    const row = order[k];
    if (k > 0 && key[row] === key[order[k - 1]])
      throw new BacktestInputError(
        'ALPHAS',
        `${source}: ${market.calendar[date[row]]}, ${market.instruments[instrument[row]]} appears twice (rows ${order[k - 1] + 1} and ${row + 1}); keep one alpha per date and instrument`,
      );
    out.date[k] = date[row];
    out.instrument[k] = instrument[row];
    out.alpha[k] = table.alpha[row];
  }
  return out;
}

/** Calendar position of the first date with an alpha (the backtest's start). */
export function firstAlphaDate(rows: AlphaRows): number {
  if (rows.length === 0)
    throw new BacktestInputError('ALPHAS', 'no alpha rows: the backtest has no first date');
  return rows.date[0];
}
