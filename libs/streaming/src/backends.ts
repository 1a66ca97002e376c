import { KafkaBus, MemoryBus } from '@alphafeed/bus';
import type { BusPort, KafkaBusOptions } from '@alphafeed/bus';
import { streamingBackends } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import type { Logger } from '@alphafeed/ops';
import { EmbeddedStore, QuestDbStore } from '@alphafeed/store';
import type { StorePort } from '@alphafeed/store';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { kafkaBusOptions, questDbStoreOptions } from './backend-security';

/** The bus and store a config selects, already connected / opened. */
export interface Backends {
  readonly bus: BusPort;
  readonly store: StorePort;
  readonly kind: { readonly bus: 'kafka' | 'memory'; readonly store: 'questdb' | 'embedded' };
}

/**
 * Kafka + QuestDB when the config names them, otherwise the in-memory bus
 * and the embedded store file (`streaming.embedded.store_path`). One process
 * that runs several services must call this once and hand the same instances
 * to every service (`RuntimeModule.forConfig(config, backends)`): a MemoryBus
 * only connects services that share it, and the embedded store file takes a
 * lock.
 */
export async function openBackends(config: RegionConfig, logger: Logger): Promise<Backends> {
  const kind = streamingBackends(config);
  const bus: BusPort =
    kind.bus === 'kafka'
      ? new KafkaBus({ ...kafkaBusOptions(config), ...kafkaLogging(logger) })
      : new MemoryBus({
          maxBatchSize: 5000,
          // A batch rejected because its pipeline was unsubscribed (shutdown) is redelivered by design; anything else is worth a line.
          onError: (error, where) => {
            if ((error as { code?: string }).code === 'UNSUBSCRIBED') return;
            logger.error(
              `memory bus: handler of group ${where.groupId} failed on ${where.topic}[${where.partition}], subscription stopped: ${String(error)}`,
            );
          },
        });
  let store: StorePort;
  if (kind.store === 'questdb') {
    const ilpWriter = process.env.ALPHAFEED_QUESTDB_ILP_WRITER;
    store = new QuestDbStore({
      ...questDbStoreOptions(config),
      // Unset: the store's default; anything but own | client is refused by the store with the value.
      ilpWriter: ilpWriter === undefined || ilpWriter === '' ? undefined : (ilpWriter as 'own' | 'client'),
    });
  } else {
    const path = config.streaming.embedded.store_path;
    mkdirSync(dirname(path), { recursive: true });
    // fsync on flush only: the in-memory bus beside it keeps no offsets across a
    // crash either, so per-write fsyncs would buy no recovery, only latency.
    store = await EmbeddedStore.open({ path, sync: 'flush', warn: (m) => logger.warn(m) });
  }
  await bus.connect();
  return { bus, store, kind };
}

/** Closes what `openBackends` opened: bus first (no more deliveries), then the store (flushed). */
export async function closeBackends(backends: Backends): Promise<void> {
  try {
    await backends.bus.close();
  } finally {
    await backends.store.close();
  }
}

/** kafkajs lines and stopped subscriptions through the service's logger (KafkaBus options `log`, `onError`). */
export function kafkaLogging(logger: Logger): Pick<KafkaBusOptions, 'log' | 'onError'> {
  return {
    log: (e) => {
      const line = `kafkajs [${e.namespace}] ${e.message}`;
      if (e.level === 'error') logger.error(line);
      else if (e.level === 'warn') logger.warn(line);
      else logger.debug(line);
    },
    onError: (error, where) =>
      logger.error(
        `kafka bus: handler of group ${where.groupId} failed on ${where.topic}[${where.partition}], subscription stopped: ${String(error)}`,
      ),
  };
}
