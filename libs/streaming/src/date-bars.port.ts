import type { MarketEvent } from '@alphafeed/pipeline';
import type { DateBuffer } from './date-buffer';

/** A day's archived bars and the `bar_count` of its archived marker (null without one). */
export interface ArchivedDate {
  readonly buffer: DateBuffer;
  readonly expected: number | null;
}

/**
 * Where the date closer looks at a date's bars: the bar archive in the store
 * (`bars_ahead` / `markers_ahead`), which every bar reaches before its offset
 * is committed. Two adapters, one closer:
 *
 * - `CachedDateBars` (`consumers: single`): this member writes every bar of
 *   the region, so it keeps the open dates and the last processed dates in
 *   memory as it writes them and answers from there; processed dates older
 *   than its window are read back from the store.
 * - `StoreDateBars` (`consumers: shared`): the bars of a date are written by
 *   several members; every answer is a store read.
 */
export interface DateBarsPort {
  /**
   * True when every bar of the region is written through this port (single):
   * the closer then learns of a corrected bar from the bar itself. False
   * (shared): the member that ingested it re-sends the date's marker.
   */
  readonly seesEveryBar: boolean;
  /** Writes one bus batch's events to the archive (before the batch may be committed). */
  write(events: readonly MarketEvent[]): Promise<void>;
  /** Distinct archived bars per day, for the days in [from, to] that have any. */
  counts(from: number, to: number): Promise<ReadonlyMap<number, number>>;
  /** A day's archived bars (a fresh buffer or the cached one; the closer only reads it). */
  read(day: number): Promise<ArchivedDate>;
  /** The closer closed `day` (a cache keeps it for restatements and lets older days go). */
  closed(day: number): void;
}
