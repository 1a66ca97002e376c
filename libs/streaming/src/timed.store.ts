import type { ServiceMetrics } from '@alphafeed/ops';
import type { KeyedColumns, StorePort } from '@alphafeed/store';

/**
 * The store with each write timed into `alphafeed_store_write_seconds{table}`
 * (one histogram observation per write call: a batch, not a row). Everything
 * else passes through.
 */
export function timedStore(store: StorePort, metrics: ServiceMetrics): StorePort {
  return {
    ensureTables: (tables) => store.ensureTables(tables),
    write: async (table: string, rows: KeyedColumns) => {
      const end = metrics.storeWrite.startTimer({ table });
      try {
        await store.write(table, rows);
      } finally {
        end();
      }
    },
    read: (table, query) => store.read(table, query),
    flush: () => store.flush(),
    sync: (tables) => store.sync(tables),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
