import type { MarketEvent } from '@alphafeed/pipeline';
import type { BarArchive } from './bar.archive';
import type { ClosedDate } from './closed-date';
import { DateBuffer } from './date-buffer';
import type { ArchivedDate, DateBarsPort } from './date-bars.port';

/**
 * The closer's view of the archive when this member writes every bar of the
 * region (`consumers: single`): the store-backed archive with an in-memory
 * cache in front. `write` upserts a batch into the store and, once that
 * resolved, into the cache, so the cache never holds a bar the store does
 * not. Kept in memory: the open dates and the last `window` closed dates
 * (the likely targets of a correction); a restatement of an older date is
 * read back from the store. Memory: ~60 bytes per cached bar (300 dates x
 * 3,000 instruments ~ 55 MB).
 */
export class CachedDateBars implements DateBarsPort {
  readonly seesEveryBar = true;
  private readonly buffers = new Map<number, DateBuffer>();
  private readonly markers = new Map<number, number>();
  /** Closed days in the cache, ascending (dates close in order). */
  private readonly closedDays: number[] = [];
  /** Days at or before this one are not cached unless listed in `closedDays`: read them from the store. */
  private evictedThrough = -Infinity;

  constructor(
    private readonly archive: BarArchive,
    private readonly window: number,
  ) {
    if (!Number.isInteger(window) || window < 0)
      throw new RangeError(`CachedDateBars: window must be an integer >= 0, got ${window}`);
  }

  async write(events: readonly MarketEvent[]): Promise<void> {
    await this.archive.write(events);
    this.load(events);
  }

  /** Applies events already in the archive (the open dates read back at a restart). */
  load(events: readonly MarketEvent[]): void {
    for (const e of events) {
      const day = e.kind === 'bar' ? e.bar.date : e.eod.date;
      if (e.kind === 'bar' && e.bar.industry === null) continue; // the archive skips them too
      let buffer = this.buffers.get(day);
      if (buffer === undefined) {
        if (day <= this.evictedThrough) continue; // an old processed date: the store has it
        this.buffers.set(day, (buffer = new DateBuffer()));
      }
      if (e.kind === 'bar') buffer.upsert(e.bar, e.bar.industry as string);
      else this.markers.set(day, e.eod.bar_count);
    }
  }

  /** Seeds the cache with processed dates rebuilt at a restart (the last `window`, ascending); older days are in the store. */
  seed(processed: readonly ClosedDate[], lastProcessed: number | null): void {
    this.evictedThrough = lastProcessed ?? -Infinity;
    for (const closed of processed.slice(Math.max(0, processed.length - this.window))) {
      this.buffers.set(closed.day, DateBuffer.fromClosed(closed));
      if (closed.expectedCount !== null) this.markers.set(closed.day, closed.expectedCount);
      this.closedDays.push(closed.day);
    }
  }

  async counts(from: number, to: number): Promise<ReadonlyMap<number, number>> {
    const out = new Map<number, number>();
    for (const [day, buffer] of this.buffers)
      if (day >= from && day <= to && buffer.size > 0) out.set(day, buffer.size);
    return out;
  }

  async read(day: number): Promise<ArchivedDate> {
    const buffer = this.buffers.get(day);
    if (buffer !== undefined) return { buffer, expected: this.markers.get(day) ?? null };
    if (day <= this.evictedThrough) return this.archive.readDate(day);
    return { buffer: new DateBuffer(), expected: this.markers.get(day) ?? null };
  }

  closed(day: number): void {
    if (!this.buffers.has(day)) this.buffers.set(day, new DateBuffer());
    this.closedDays.push(day);
    while (this.closedDays.length > this.window) {
      const old = this.closedDays.shift() as number;
      this.buffers.delete(old);
      this.markers.delete(old);
      if (old > this.evictedThrough) this.evictedThrough = old;
    }
  }

  /** Days held in memory (health, tests). */
  get cachedDays(): number {
    return this.buffers.size;
  }
}
