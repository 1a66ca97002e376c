/**
 * Builders shared by the pipeline specs (not exported from the lib): bars,
 * markers, a recording logger, a JSON codec for bus messages, and a small
 * BarPanel.
 */
import type { IncomingMessage } from '@alphafeed/bus';
import { parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import type { BarEvent, EndOfDayEvent, MarketEvent } from './events';
import type { PipelineLogger } from './logger';

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
): MarketEvent => ({
  kind: 'bar',
  bar: bar(date, instrument, close, overrides),
});

export const eodEvent = (date: string, barCount: number, region = 'US'): MarketEvent => ({
  kind: 'eod',
  eod: { region, date: parseIsoDay(date), bar_count: barCount },
});

export interface RecordingLogger extends PipelineLogger {
  readonly warnings: string[];
}

export function recordingLogger(): RecordingLogger {
  const warnings: string[] = [];
  return { warnings, warn: (message) => void warnings.push(message) };
}

export const encodeJson = (value: BarEvent | EndOfDayEvent): Buffer =>
  Buffer.from(JSON.stringify(value), 'utf8');

export function decodeBarJson(value: Buffer): BarEvent {
  const parsed = JSON.parse(value.toString('utf8')) as BarEvent;
  if (typeof parsed.instrument !== 'string') throw new Error('not a bar');
  return parsed;
}

export function decodeEodJson(value: Buffer): EndOfDayEvent {
  const parsed = JSON.parse(value.toString('utf8')) as EndOfDayEvent;
  if (typeof parsed.bar_count !== 'number') throw new Error('not an end-of-day marker');
  return parsed;
}

export function message(
  topic: string,
  value: Buffer | string,
  offset = 0,
  key: string | null = null,
): IncomingMessage {
  return {
    topic,
    partition: 0,
    offset: String(offset),
    key: key === null ? null : Buffer.from(key),
    value: typeof value === 'string' ? Buffer.from(value) : value,
  };
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
  const n = rows.length;
  const col = (f: (d: number, i: number) => number): Float64Array =>
    Float64Array.from(rows, ([d, i]) => f(d, i));
  return {
    calendar,
    instruments,
    industries: ['Energy', 'Tech'],
    length: n,
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
