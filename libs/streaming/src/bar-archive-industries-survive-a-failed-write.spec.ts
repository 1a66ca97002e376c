/**
 * The industry dictionary and the archive rows never disagree: a batch whose
 * industry names could not be written (a store outage) writes them again
 * when the batch is retried, so every archived code reads back with its name
 * — in this process and in a restarted one.
 */
import type { StorePort } from '@alphafeed/store';
import { BarArchive } from './bar.archive';
import { archiveOnFreshStore, barEvent } from './fixtures.testing';
import { INDUSTRIES_TABLE } from './tables';

/** The store, with the next `n` writes to `table` failing. */
function failingWrites(store: StorePort, table: string, n: number): StorePort {
  let left = n;
  return {
    ...store,
    ensureTables: (t) => store.ensureTables(t),
    read: (t, q) => store.read(t, q),
    flush: () => store.flush(),
    sync: (t) => store.sync(t),
    ping: () => store.ping(),
    close: () => store.close(),
    write: (t, rows) => {
      if (t === table && left > 0) {
        left--;
        return Promise.reject(new Error(`${t} unavailable`));
      }
      return store.write(t, rows);
    },
  };
}

describe('BarArchive industries after a failed write', () => {
  it('writes the names again with the retried batch; a restarted archive reads every bar with its industry', async () => {
    const { store } = await archiveOnFreshStore();
    const flaky = failingWrites(store, INDUSTRIES_TABLE.name, 1);
    const archive = new BarArchive(flaky, 'US', 'test');
    await archive.load();
    const batch = [barEvent('2024-01-02', 'AAA', 10, { industry: 'Energy' }), barEvent('2024-01-02', 'BBB')];
    await expect(archive.write(batch)).rejects.toThrow('industries unavailable');
    await archive.write(batch); // the redelivered batch
    const restarted = new BarArchive(store, 'US', 'test');
    await restarted.load();
    const events = await restarted.readEvents();
    expect(events.map((e) => (e.kind === 'bar' ? [e.bar.instrument, e.bar.industry] : null))).toEqual([
      ['AAA', 'Energy'],
      ['BBB', 'Tech'],
    ]);
    await store.close();
  });
});
