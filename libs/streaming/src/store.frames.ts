import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import type { FeatureFrame, LabelFrame } from '@alphafeed/core';
import { PollTimeoutError, poll } from '@alphafeed/ops';
import type { KeyedColumns, StorePort } from '@alphafeed/store';
import { DATES_TABLE, LABELS_TABLE } from './tables';

/**
 * A service's calendar: every date it processed, ascending, as day numbers,
 * with the rows it wrote for each. Dates with no feature row (the warm-up)
 * are trading days too and count for the embargo, so the calendar comes from
 * here, not from the feature rows.
 */
export interface ServiceCalendar {
  readonly days: number[];
  /** Rows the service wrote when it (last) processed each date. */
  readonly rows: number[];
}

export async function readServiceCalendar(
  store: StorePort,
  region: string,
  service: string,
): Promise<ServiceCalendar> {
  const table = await store.read(DATES_TABLE.name, { region });
  const days: number[] = [];
  const rows: number[] = [];
  for (let r = 0; r < table.length; r++) {
    if (table.instruments[table.instrument[r]] !== service) continue;
    days.push(table.date[r]);
    rows.push(table.columns.rows[r]);
  }
  return { days, rows };
}

export async function readCalendar(
  store: StorePort,
  region: string,
  service = 'features',
): Promise<number[]> {
  return (await readServiceCalendar(store, region, service)).days;
}

/** Rows a service recorded for the days in [from, to]. */
export function recordedRows(calendar: ServiceCalendar, from: number, to: number): number {
  let n = 0;
  for (let i = 0; i < calendar.days.length; i++)
    if (calendar.days[i] >= from && calendar.days[i] <= to) n += calendar.rows[i];
  return n;
}

/**
 * Reads until what `read` returns has the row count the writing service
 * recorded: with QuestDB another process's rows become visible when the WAL
 * is applied, possibly after its `closed_dates` row, so a reader polls
 * instead of training or scoring on half a date. Gives up after `timeoutMs`
 * with an error naming both counts.
 */
export async function readConsistent<T>(
  what: string,
  read: () => Promise<T>,
  count: (value: T) => number,
  expected: number,
  timeoutMs = 120_000,
): Promise<T> {
  let seen = NaN;
  try {
    return await poll(read, (value) => (seen = count(value)) === expected, {
      initialMs: 50,
      maxMs: 250,
      timeoutMs,
      what,
    });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    throw new Error(
      `${what}: the store shows ${seen} rows, the writing service recorded ${expected}, still after ${timeoutMs} ms; check that service's health and the store`,
    );
  }
}

/**
 * The stored features of [from, to] as a FeatureFrame over `calendar`
 * (rows sorted by date, then instrument code; instruments dictionary sorted).
 * Model features are the configured names whose column has a value
 * (turnover_20 only for inputs with shares_out, SPEC §2). Industries are not
 * stored with the features (training does not use them): `industry` is 0 and
 * `industries` is `['(not stored)']`. `vol60` is the raw `style_vol_60`
 * column (absent when the table predates it). `revision` is each row's
 * revision.
 */
export async function readFeatureFrame(
  store: StorePort,
  config: RegionConfig,
  calendar: readonly number[],
  range: { readonly from?: number; readonly to?: number } = {},
): Promise<FeatureFrame & { readonly revision: Int32Array }> {
  const rows = await store.read('features', {
    region: config.region,
    from: range.from === undefined ? undefined : formatIsoDay(range.from),
    to: range.to === undefined ? undefined : formatIsoDay(range.to),
  });
  const { positions, isoCalendar } = calendarIndex(calendar);
  const { instruments, instrument } = sortedDictionary(rows);
  const n = rows.length;
  const date = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const p = positions.get(rows.date[r]);
    if (p === undefined)
      throw new Error(
        `features row of ${formatIsoDay(rows.date[r])} has no closed_dates entry; the features service writes both, so the store is inconsistent: replay the region`,
      );
    date[r] = p;
  }
  const featureNames = config.features.names.filter((name) => hasValue(rows.columns[name]));
  return {
    calendar: isoCalendar,
    instruments,
    industries: ['(not stored)'],
    featureNames,
    length: n,
    date,
    instrument,
    industry: new Int32Array(n),
    carried: Uint8Array.from(rows.columns.carried ?? new Float64Array(n)),
    features: featureNames.map((name) => rows.columns[name]),
    beta252: rows.columns.beta_252,
    size: rows.columns.size,
    momentum: rows.columns.momentum,
    vol60: rows.columns.style_vol_60,
    revision: Int32Array.from(rows.columns.revision ?? new Float64Array(n)),
  };
}

/**
 * Matured labels by the last date of `calendar` (the cut-off): a row of
 * horizon k for origin t is kept only when t + k is within the calendar, as
 * the labels service wrote it at the close of t + k:
 * one LabelFrame over the union of (date, instrument) of all horizons, NaN
 * where a horizon has no row yet. `storedRows` counts the rows read over all
 * horizons (what the labels service recorded writing).
 */
export async function readLabelFrame(
  store: StorePort,
  config: RegionConfig,
  calendar: readonly number[],
): Promise<LabelFrame & { readonly storedRows: number }> {
  const lastPosition = calendar.length - 1;
  const horizons = config.labels.horizons;
  const { positions, isoCalendar } = calendarIndex(calendar);
  const parts = await Promise.all(
    horizons.map((k) =>
      store.read(LABELS_TABLE.name, { region: config.region, tags: { horizon: String(k) } }),
    ),
  );
  // Union of keys, sorted by (date, instrument code).
  const keyed = new Map<string, { day: number; code: string; values: Float64Array; carried: number }>();
  let storedRows = 0;
  parts.forEach((rows, h) => {
    const k = horizons[h];
    for (let r = 0; r < rows.length; r++) {
      // Matured by the cut-off only: origin position + k within the calendar (rows of later closes may already be visible).
      const p = positions.get(rows.date[r]);
      if (p === undefined || p + k > lastPosition) continue;
      storedRows++;
      const code = rows.instruments[rows.instrument[r]];
      const key = `${rows.date[r]}\u0000${code}`;
      let entry = keyed.get(key);
      if (entry === undefined)
        keyed.set(
          key,
          (entry = {
            day: rows.date[r],
            code,
            values: new Float64Array(horizons.length).fill(NaN),
            carried: rows.columns.carried[r],
          }),
        );
      entry.values[h] = rows.columns.value[r];
    }
  });
  const entries = [...keyed.values()].filter((e) => positions.has(e.day));
  entries.sort((a, b) => a.day - b.day || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const instruments = [...new Set(entries.map((e) => e.code))].sort();
  const idOf = new Map(instruments.map((code, i) => [code, i]));
  const n = entries.length;
  return {
    calendar: isoCalendar,
    instruments,
    horizons,
    length: n,
    date: Int32Array.from(entries, (e) => positions.get(e.day) as number),
    instrument: Int32Array.from(entries, (e) => idOf.get(e.code) as number),
    carried: Uint8Array.from(entries, (e) => e.carried),
    labels: horizons.map((_, h) => Float64Array.from(entries, (e) => e.values[h])),
    storedRows,
  };
}

function calendarIndex(calendar: readonly number[]): {
  positions: Map<number, number>;
  isoCalendar: string[];
} {
  const positions = new Map<number, number>();
  calendar.forEach((day, p) => positions.set(day, p));
  return { positions, isoCalendar: calendar.map(formatIsoDay) };
}

/** Re-indexes rows on a sorted instrument dictionary (rows are already in (date, code) order). */
function sortedDictionary(rows: KeyedColumns): { instruments: string[]; instrument: Int32Array } {
  const used = [...new Set(Array.from(rows.instrument))].map((i) => rows.instruments[i]).sort();
  const idOf = new Map(used.map((code, i) => [code, i]));
  return {
    instruments: used,
    instrument: Int32Array.from(rows.instrument, (i) => idOf.get(rows.instruments[i]) as number),
  };
}

function hasValue(column: Float64Array | undefined): boolean {
  if (column === undefined) return false;
  for (let i = 0; i < column.length; i++) if (column[i] === column[i]) return true;
  return false;
}
