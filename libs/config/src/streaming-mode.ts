import type { RegionConfig } from './region-config.schema';

/**
 * Which backends a config selects. No brokers means the in-memory bus, no
 * QuestDB URL the embedded store file: the README's first command then runs
 * with no servers at all.
 */
export interface StreamingBackends {
  readonly bus: 'kafka' | 'memory';
  readonly store: 'questdb' | 'embedded';
}

export function streamingBackends(config: RegionConfig): StreamingBackends {
  return {
    bus: config.streaming.kafka.brokers.length > 0 ? 'kafka' : 'memory',
    store: config.streaming.questdb.http_url !== null ? 'questdb' : 'embedded',
  };
}
