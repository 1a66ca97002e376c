export type {
  BusPort,
  OutgoingMessage,
  IncomingMessage,
  TopicSpec,
  SubscribeOptions,
  BatchHandler,
  Subscription,
  PartitionLag,
  TopicMessages,
  LedgerPublisher,
  LedgerPublisherOptions,
} from './bus.port';
export { BusError } from './errors';
export { MemoryBus, MemorySubscription } from './memory.bus';
export type { MemoryBusOptions, SubscriptionFailure } from './memory.bus';
export { murmur2, keyPartition } from './memory.partitioner';
export { KafkaBus, KafkaSubscription } from './kafka.bus';
export type { KafkaSubscriptionFailure } from './kafka.bus';
export { kafkaBrokersFromEnv } from './kafka.options';
export type { KafkaBusOptions, KafkaLogSink, KafkaSaslOptions, KafkaTlsOptions } from './kafka.options';
