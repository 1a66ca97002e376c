import type { BusPort } from '@alphafeed/bus';
import type { RegionConfig } from '@alphafeed/config';

/**
 * Creates the project's topics if missing: market data with the configured
 * partition count, end-of-day markers and models on one partition (a
 * region's markers must stay in order), each with its dead-letter topic.
 */
export async function ensureStreamingTopics(bus: BusPort, config: RegionConfig): Promise<void> {
  const k = config.streaming.kafka;
  const t = k.topics;
  const dlq = (name: string): string => `${name}${t.dead_letter_suffix}`;
  await bus.ensureTopics([
    { name: t.bars, partitions: k.partitions },
    { name: t.eod, partitions: 1 },
    { name: t.alphas, partitions: k.partitions },
    { name: t.models, partitions: 1 },
    { name: dlq(t.bars), partitions: 1 },
    { name: dlq(t.eod), partitions: 1 },
    { name: dlq(t.alphas), partitions: 1 },
    { name: dlq(t.models), partitions: 1 },
  ]);
}
