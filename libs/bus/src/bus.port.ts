/**
 * The message bus port. Adapters: Kafka (kafkajs, real broker) and in-memory
 * (one process, the embedded default and unit tests). Services see only this
 * interface, so the Kafka client can be swapped without touching them.
 */

export interface OutgoingMessage {
  /** Partitioning key (instrument for bars and alphas); null spreads round-robin. */
  readonly key: Buffer | null;
  readonly value: Buffer;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface IncomingMessage extends OutgoingMessage {
  readonly topic: string;
  readonly partition: number;
  /** Offset as a decimal string (Kafka offsets exceed 2^53). */
  readonly offset: string;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
}

export interface SubscribeOptions {
  /** Consumer group: instances sharing it split the partitions. */
  readonly groupId: string;
  readonly topics: readonly string[];
  /** Start at the earliest offset when the group has none committed (default true). */
  readonly fromBeginning?: boolean;
  /**
   * One member of the group gets every partition, the others none (hot
   * standbys that take over when it leaves), for consumers that must see all
   * partitions at once. Every member of a group must agree on it (default false).
   */
  readonly exclusive?: boolean;
}

/**
 * Handles one batch from one partition. The adapter commits the batch's
 * offsets only after the returned promise resolves, so a consumer never
 * commits an offset before the store write that depends on it. A rejection
 * stops the subscription without committing.
 */
export type BatchHandler = (batch: readonly IncomingMessage[]) => Promise<void>;

export interface Subscription {
  /** Stops consuming after the batch in flight, commits it, leaves the group. */
  close(): Promise<void>;
}

/** Messages of a partition published and not yet committed by a consumer group. */
export interface PartitionLag {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

export interface BusPort {
  connect(): Promise<void>;
  /** Creates the topics that do not exist yet; existing ones are left alone. */
  ensureTopics(topics: readonly TopicSpec[]): Promise<void>;
  /** Resolves when the broker has acknowledged every message (acks = all). */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription>;
  /** Consumer lag of a group on each partition of the topics (for metrics; one round trip to the broker). */
  consumerLag(groupId: string, topics: readonly string[]): Promise<PartitionLag[]>;
  /**
   * Resolves when the bus answers (a broker responds to a metadata request),
   * rejects with the reason otherwise, within a few seconds: the readiness
   * probe of the services.
   */
  ping(): Promise<void>;
  /** Closes producers and every subscription. Idempotent. */
  close(): Promise<void>;
}
