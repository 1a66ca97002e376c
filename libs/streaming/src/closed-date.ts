import { createHash } from 'node:crypto';
import { formatIsoDay } from '@alphafeed/core';
import type { BarEvent } from '@alphafeed/pipeline';
import { DateBuffer } from './date-buffer';

/**
 * One closed date of one region in columnar form, rows sorted by instrument
 * code (so the same bars give the same arrays whatever their arrival order).
 * Prices and volume are adjusted (SPEC §1: raw x factor, volume / factor).
 */
export interface ClosedDate {
  readonly region: string;
  /** ISO `YYYY-MM-DD`. */
  readonly date: string;
  /** Day number (days since 1970-01-01 UTC), as in @alphafeed/core. */
  readonly day: number;
  /** 0 for the first emission of the date, +1 for each restatement. */
  readonly revision: number;
  /** `revision > 0`: the consumer recomputes and re-publishes this date. */
  readonly restated: boolean;
  /** True when the marker's `bar_count` was not reached (timeout, or no marker at all). */
  readonly timedOut: boolean;
  /** `bar_count` of the marker, null when the date closed without one. */
  readonly expectedCount: number | null;
  readonly length: number;
  /** Instrument code of each row, sorted ascending (code-unit order). */
  readonly instruments: readonly string[];
  /** Industry dictionary, sorted; `industry[i]` indexes it. */
  readonly industries: readonly string[];
  readonly industry: Int32Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** NaN where the bar carried no amount. */
  readonly amount: Float64Array;
  /** NaN where the bar carried no shares_out. */
  readonly sharesOut: Float64Array;
}

export interface ClosedDateMeta {
  readonly region: string;
  /** Day number of the date. */
  readonly day: number;
  /** Last revision published for the date (default 0). */
  readonly revision?: number;
  /** The marker's bar_count, if known (default: the number of distinct bars). */
  readonly expectedCount?: number | null;
  /** Industry for bars whose `industry` is null. */
  readonly industryOf?: (instrument: string, day: number) => string | null;
}

/**
 * Builds the ClosedDate of these bars the way the date closer assembles it
 * (same sorting, factor applied, duplicates last-wins), e.g. to rebuild the
 * processed dates from the bar archive after a restart.
 * Bars of another date are a programmer error (TypeError). O(n log n).
 */
export function closedDateFromBars(bars: Iterable<BarEvent>, meta: ClosedDateMeta): ClosedDate {
  const buffer = new DateBuffer();
  for (const bar of bars) {
    if (bar.date !== meta.day)
      throw new TypeError(`closedDateFromBars: bar ${bar.instrument} is dated ${bar.date}, not ${meta.day}`);
    const industry = bar.industry ?? meta.industryOf?.(bar.instrument, meta.day) ?? null;
    if (industry === null || industry === '')
      throw new TypeError(`closedDateFromBars: bar ${bar.instrument} has no industry`);
    buffer.upsert(bar, industry);
  }
  return assembleDate(buffer, {
    region: meta.region,
    day: meta.day,
    revision: meta.revision ?? 0,
    expectedCount: meta.expectedCount === undefined ? buffer.size : meta.expectedCount,
  });
}

/** The ClosedDate of a buffer: `timedOut` when short of the marker's count (or without a marker). */
export function assembleDate(
  buffer: DateBuffer,
  meta: {
    readonly region: string;
    readonly day: number;
    readonly revision: number;
    readonly expectedCount: number | null;
  },
): ClosedDate {
  const { expectedCount, revision } = meta;
  return buffer.toClosed({
    region: meta.region,
    date: formatIsoDay(meta.day),
    day: meta.day,
    revision,
    restated: revision > 0,
    timedOut: expectedCount === null || buffer.size < expectedCount,
    expectedCount,
  });
}

/**
 * A 48-bit fingerprint of a closed date's bars (instruments, industries,
 * prices, volumes): equal for the same bars in any arrival order, different
 * when a bar was corrected. The `closed_dates` table keeps it, so the closer
 * recomputes a processed date that got bars again only if its bars changed,
 * which keeps a replay of the same input a no-op. SHA-256 over ~64 bytes per
 * bar: ~0.2 ms for 3,000 instruments.
 */
export function closedDateDigest(closed: ClosedDate): number {
  const hash = createHash('sha256');
  hash.update(closed.instruments.join('\n')).update('\0').update(closed.industries.join('\n')).update('\0');
  for (const column of [
    closed.industry,
    closed.open,
    closed.high,
    closed.low,
    closed.close,
    closed.volume,
    closed.amount,
    closed.sharesOut,
  ]) {
    hash.update(new Uint8Array(column.buffer, column.byteOffset, column.byteLength));
  }
  return hash.digest().readUIntBE(0, 6);
}
