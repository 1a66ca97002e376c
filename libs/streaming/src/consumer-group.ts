import type { RegionConfig } from '@alphafeed/config';

/** `<group_prefix>-<service>`: one consumer group per service, as the config documents. */
export function consumerGroup(config: RegionConfig, service: string): string {
  return `${config.streaming.kafka.group_prefix}-${service}`;
}
