import { createHash } from 'node:crypto';
import { formatIsoDay } from '@alphafeed/core';
import { DateBuffer } from './date-buffer';
import type { BarEvent, ClosedDate } from './events';

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
 * Builds the ClosedDate that `closeDates` would have emitted for these bars
 * (same sorting, factor applied, duplicates last-wins), e.g. to rebuild the
 * already-processed dates from the store after a restart (`initialClosed`).
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
  const revision = meta.revision ?? 0;
  const expectedCount = meta.expectedCount === undefined ? buffer.size : meta.expectedCount;
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
 * when a bar was corrected. The `closed_dates` table keeps it, so a consumer
 * that learns of a date again (a re-sent marker) recomputes the date only if
 * its bars changed, which keeps a replay of the same input a no-op.
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
