import type { MarketEvent } from '@alphafeed/pipeline';
import type { BarArchive } from './bar.archive';
import type { ArchivedDate, DateBarsPort } from './date-bars.port';

/**
 * The closer's view of the archive when several members write it
 * (`consumers: shared`): every question is a store read, since bars of a
 * date arrive through other processes. One read of `bars_ahead` per poll of
 * an open date (the closer polls with backoff while a marked date waits).
 */
export class StoreDateBars implements DateBarsPort {
  readonly seesEveryBar = false;

  constructor(private readonly archive: BarArchive) {}

  write(events: readonly MarketEvent[]): Promise<void> {
    return this.archive.write(events);
  }

  counts(from: number, to: number): Promise<ReadonlyMap<number, number>> {
    return this.archive.counts(from, to);
  }

  read(day: number): Promise<ArchivedDate> {
    return this.archive.readDate(day);
  }

  closed(): void {}
}
