import { createHash } from 'node:crypto';
import type { OutgoingMessage } from '@alphafeed/bus';
import { dateOffsets, parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { PipelineError } from './errors';
import type { BarEvent, EndOfDayEvent } from './events';
import { DEFAULT_MARKET_TOPICS } from './market-event.decoder';
import { readReplayPosition, writeReplayPosition } from './replay-position';

/** Anything that can publish and resolve once the broker acknowledged (BusPort qualifies). */
export interface PublishSink {
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
}

export interface ReplayProgress {
  /** ISO date just published (bars and marker acknowledged). */
  readonly date: string;
  readonly datesDone: number;
  readonly datesTotal: number;
  /** Bars published by this run so far. */
  readonly bars: number;
}

export interface ReplayBarsOptions {
  readonly panel: BarPanel;
  readonly region: string;
  /** Inclusive ISO bounds; default the whole calendar. */
  readonly from?: string;
  readonly to?: string;
  readonly sink: PublishSink;
  readonly encodeBar: (bar: BarEvent) => Buffer;
  readonly encodeEod: (eod: EndOfDayEvent) => Buffer;
  readonly topics?: { readonly bars: string; readonly eod: string };
  /** Bars per publish call (default 5000). */
  readonly batchSize?: number;
  /**
   * Publish calls (bar batches and markers) awaiting the broker's
   * acknowledgement at once (default 16; 1 = wait for each before the next).
   * The position still only advances over dates whose bars and marker, and
   * everything published before them, were acknowledged.
   */
  readonly maxInFlight?: number;
  /** JSON position file; without it the replay always starts at `from`. */
  readonly positionFile?: string;
  /** Hash of the caller's config/source, folded into the position's hash. */
  readonly configHash?: string;
  /** Ignore (and overwrite) an existing position. */
  readonly restart?: boolean;
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayResult {
  /** Dates published by this run. */
  readonly dates: number;
  readonly bars: number;
  /** Dates skipped because the position said they were published. */
  readonly skipped: number;
  readonly lastDate: string | null;
  readonly configHash: string;
}

export const DEFAULT_REPLAY_BATCH_SIZE = 5000;
export const DEFAULT_REPLAY_IN_FLIGHT = 16;

/**
 * Publishes a panel's history in date order: for each date all its bars
 * (key: instrument, rows in the panel's (date, instrument) order, in batches
 * of `batchSize`), then the end-of-day marker `{region, date, bar_count}`
 * (key: region, so every marker of a region lands on one partition, in
 * order). Publishes are pipelined: up to `maxInFlight` calls await their
 * acknowledgement at once (consumers accept bars and markers in any order
 * within and across partitions, SPEC §8), and they are settled in the order
 * they were issued. Once a date's marker and everything issued before it are
 * acknowledged, the position file records the date, so a restart continues
 * after it: no date at or before the recorded position is published twice;
 * the dates in flight when a run died are published again in full (consumers
 * are idempotent by (region, date, instrument)). Messages carry no timestamps or
 * headers, so the same input gives byte-identical messages if the encoders
 * are deterministic. The panel is already adjusted, so bars go out with
 * `factor: null`. Cost: one pass over the rows, one encode per bar.
 */
export async function replayBars(options: ReplayBarsOptions): Promise<ReplayResult> {
  const { panel, region, sink, encodeBar, encodeEod, onProgress } = options;
  const topics = options.topics ?? DEFAULT_MARKET_TOPICS;
  const batchSize = options.batchSize ?? DEFAULT_REPLAY_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`replayBars: batchSize must be an integer >= 1, got ${batchSize}`);
  const maxInFlight = options.maxInFlight ?? DEFAULT_REPLAY_IN_FLIGHT;
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1)
    throw new RangeError(`replayBars: maxInFlight must be an integer >= 1, got ${maxInFlight}`);

  const calendar = panel.calendar;
  let first = 0;
  while (first < calendar.length && options.from !== undefined && calendar[first] < options.from) first++;
  let last = calendar.length - 1;
  while (last >= 0 && options.to !== undefined && calendar[last] > options.to) last--;

  const configHash = replayHash(region, options.from ?? null, topics, options.configHash ?? '');
  let start = first;
  if (options.positionFile !== undefined && options.restart !== true) {
    const position = await readReplayPosition(options.positionFile);
    if (position !== null) {
      if (position.configHash !== configHash) {
        throw new PipelineError(
          'REPLAY_POSITION_MISMATCH',
          `replay position ${options.positionFile} belongs to another replay (hash ${position.configHash}, this one ${configHash}); delete it or pass restart to start over`,
        );
      }
      while (start <= last && calendar[start] <= position.lastDate) start++;
    }
  }

  const offsets = dateOffsets(panel.date, calendar.length);
  const { instruments, industries } = panel;
  const instrumentKeys = instruments.map((code) => Buffer.from(code, 'utf8'));
  const regionKey = Buffer.from(region, 'utf8');
  const datesTotal = Math.max(0, last - first + 1);
  let bars = 0;
  let lastDate: string | null = null;

  /** Issued publishes, oldest first; a marker's entry carries its date. */
  const inFlight: {
    readonly ack: Promise<void>;
    readonly date: { readonly iso: string; readonly index: number; readonly bars: number } | null;
  }[] = [];
  const settleOldest = async (): Promise<void> => {
    const head = inFlight.shift()!;
    await head.ack;
    if (head.date === null) return;
    const { iso, index, bars: count } = head.date;
    // Everything issued before this marker was settled first: the date and all earlier ones are acknowledged.
    if (options.positionFile !== undefined)
      await writeReplayPosition(options.positionFile, { version: 1, configHash, lastDate: iso });
    bars += count;
    lastDate = iso;
    onProgress?.({ date: iso, datesDone: index - first + 1, datesTotal, bars });
  };
  const issue = async (
    topic: string,
    messages: OutgoingMessage[],
    date: (typeof inFlight)[number]['date'],
  ): Promise<void> => {
    let ack: Promise<void>;
    try {
      ack = sink.publish(topic, messages);
    } catch (error) {
      ack = Promise.reject(error);
    }
    // Observed when settled in order; until then a rejection must not count as unhandled.
    ack.catch(() => undefined);
    inFlight.push({ ack, date });
    while (inFlight.length >= maxInFlight) await settleOldest();
  };

  for (let d = start; d <= last; d++) {
    const date = calendar[d];
    const day = parseIsoDay(date);
    const begin = offsets[d];
    const end = offsets[d + 1];
    for (let chunk = begin; chunk < end; chunk += batchSize) {
      const stop = Math.min(end, chunk + batchSize);
      const messages: OutgoingMessage[] = new Array(stop - chunk);
      for (let r = chunk; r < stop; r++) {
        const bar: BarEvent = {
          region,
          date: day,
          instrument: instruments[panel.instrument[r]],
          open: panel.open[r],
          high: panel.high[r],
          low: panel.low[r],
          close: panel.close[r],
          volume: panel.volume[r],
          amount: panel.amount === null ? null : panel.amount[r],
          shares_out: panel.sharesOut === null ? null : panel.sharesOut[r],
          factor: null,
          industry: industries[panel.industry[r]],
        };
        messages[r - chunk] = { key: instrumentKeys[panel.instrument[r]], value: encodeBar(bar) };
      }
      await issue(topics.bars, messages, null);
    }
    await issue(
      topics.eod,
      [{ key: regionKey, value: encodeEod({ region, date: day, bar_count: end - begin }) }],
      { iso: date, index: d, bars: end - begin },
    );
  }
  while (inFlight.length > 0) await settleOldest();
  return { dates: Math.max(0, last - start + 1), bars, skipped: start - first, lastDate, configHash };
}

/**
 * Identifies a replay: same region, start, topics and caller config => same
 * hash. The end date is left out on purpose: extending `to` continues a replay.
 */
function replayHash(
  region: string,
  from: string | null,
  topics: { bars: string; eod: string },
  configHash: string,
): string {
  const text = JSON.stringify({ v: 1, region, from, bars: topics.bars, eod: topics.eod, config: configHash });
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
