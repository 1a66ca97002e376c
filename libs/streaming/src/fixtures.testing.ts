/**
 * Builders shared by the streaming specs (not exported from the lib): bars,
 * markers, a small BarPanel, a bar archive on a fresh in-memory embedded
 * store, and a logger that keeps its warnings.
 */
import { parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { memoryLogger } from '@alphafeed/ops';
import type { Logger } from '@alphafeed/ops';
import type { BarEvent, MarketEvent } from '@alphafeed/pipeline';
import { EmbeddedStore } from '@alphafeed/store';
import { BarArchive } from './bar.archive';
import { BARS_TABLE, DATES_TABLE, INDUSTRIES_TABLE, MARKERS_TABLE } from './tables';

export function bar(
  date: string,
  instrument: string,
  close = 10,
  overrides: Partial<BarEvent> = {},
): BarEvent {
  return {
    region: 'US',
    date: parseIsoDay(date),
    instrument,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume: 1000,
    amount: null,
    shares_out: null,
    factor: null,
    industry: 'Tech',
    ...overrides,
  };
}

export const barEvent = (
  date: string,
  instrument: string,
  close = 10,
  overrides: Partial<BarEvent> = {},
): MarketEvent => ({ kind: 'bar', bar: bar(date, instrument, close, overrides) });

export const eodEvent = (date: string, barCount: number, region = 'US'): MarketEvent => ({
  kind: 'eod',
  eod: { region, date: parseIsoDay(date), bar_count: barCount },
});

/** A logger that records every line; `warnings()` lists the warning messages. */
export function recordingLogger(): Logger & { warnings(): string[] } {
  const logger = memoryLogger();
  return Object.assign(logger, {
    warnings: () => logger.lines.filter((l) => l.level === 'warn').map((l) => String(l.msg)),
  });
}

/** A fresh in-memory embedded store with the archive tables, and the archive of service `test`. */
export async function archiveOnFreshStore(): Promise<{ store: EmbeddedStore; archive: BarArchive }> {
  const store = await EmbeddedStore.open({});
  await store.ensureTables([BARS_TABLE, MARKERS_TABLE, INDUSTRIES_TABLE, DATES_TABLE]);
  return { store, archive: new BarArchive(store, 'US', 'test') };
}

/**
 * A panel of `dates` x `instruments` where instrument i is missing on date d
 * when (d + i) % 5 === 4, prices deterministic, with amount and no shares_out.
 */
export function smallPanel(dates = 6, instrumentCount = 4): BarPanel {
  const calendar = Array.from({ length: dates }, (_, d) => `2024-01-${String(d + 2).padStart(2, '0')}`);
  const instruments = Array.from({ length: instrumentCount }, (_, i) => `I${String(i).padStart(3, '0')}`);
  const rows: [number, number][] = [];
  for (let d = 0; d < dates; d++)
    for (let i = 0; i < instrumentCount; i++) if ((d + i) % 5 !== 4) rows.push([d, i]);
  const col = (f: (d: number, i: number) => number): Float64Array =>
    Float64Array.from(rows, ([d, i]) => f(d, i));
  return {
    calendar,
    instruments,
    industries: ['Energy', 'Tech'],
    length: rows.length,
    date: Int32Array.from(rows, ([d]) => d),
    instrument: Int32Array.from(rows, ([, i]) => i),
    industry: Int32Array.from(rows, ([, i]) => i % 2),
    open: col((d, i) => 10 + i + d / 10),
    high: col((d, i) => 11 + i + d / 10),
    low: col((d, i) => 9 + i + d / 10),
    close: col((d, i) => 10.5 + i + d / 10),
    volume: col((d, i) => 1000 * (i + 1) + d),
    amount: col((d, i) => 10_000 * (i + 1) + d),
    sharesOut: null,
  };
}

/** Row r of a panel as a bar event of region US. */
export function panelBar(panel: BarPanel, r: number): BarEvent {
  return {
    region: 'US',
    date: parseIsoDay(panel.calendar[panel.date[r]]),
    instrument: panel.instruments[panel.instrument[r]],
    open: panel.open[r],
    high: panel.high[r],
    low: panel.low[r],
    close: panel.close[r],
    volume: panel.volume[r],
    amount: panel.amount === null ? null : panel.amount[r],
    shares_out: panel.sharesOut === null ? null : panel.sharesOut[r],
    factor: null,
    industry: panel.industries[panel.industry[r]],
  };
}
