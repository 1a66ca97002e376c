import type { SubscribeOptions, TopicSpec } from './bus.port';
import { BusError } from './errors';

/**
 * The checks every bus adapter makes before touching topics, in one place so
 * Kafka and the in-memory bus refuse the same things with the same words.
 */
export function checkTopicSpecs(topics: readonly TopicSpec[]): void {
  for (const t of topics) {
    if (!Number.isInteger(t.partitions) || t.partitions < 1)
      throw new BusError(
        'BUS_CONFIG',
        `topic ${t.name} needs a positive integer partition count, got ${t.partitions}`,
      );
  }
}

export function checkSubscription(options: SubscribeOptions): void {
  if (options.topics.length === 0)
    throw new BusError('BUS_CONFIG', `group ${options.groupId} subscribes to no topic`);
}
