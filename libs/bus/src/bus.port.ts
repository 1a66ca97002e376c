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
  /**
   * Called after every (re)join of the group with the number of partitions
   * this member holds now (0: it stands by). A consumer whose state depends
   * on owning its partitions (a date closer) starts its work when this turns
   * positive and drops it when it turns 0.
   */
  readonly onAssignment?: (partitions: number) => void;
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

/** One atomic publication: messages on several topics, all visible or none. */
export interface TopicMessages {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

/**
 * A publisher whose every publication is atomic (a Kafka transaction) and
 * advances a ledger — a sequence number kept by the bus in the same
 * transaction (the committed offset of a ledger consumer group), so after a
 * crash `committed` says exactly which publications were made: those with a
 * sequence up to it. One publisher per `transactionalId` is live at a time:
 * opening one fences any earlier one (its open publication is aborted, its
 * later ones fail), which is what a standby taking over wants.
 */
export interface LedgerPublisher {
  /** Sequence of the last publication that committed before this publisher opened (-1: none). */
  readonly committed: number;
  /**
   * Publishes `batches` and sets the ledger to `sequence` atomically; resolves
   * once committed (acks = all). `sequence` must grow from one call to the
   * next. A rejection leaves neither the messages nor the sequence visible.
   */
  publish(batches: readonly TopicMessages[], sequence: number): Promise<void>;
  close(): Promise<void>;
}

export interface LedgerPublisherOptions {
  /** Stable name of the logical publisher (all instances of one service share it). */
  readonly transactionalId: string;
  /** Consumer group that holds the ledger (nobody consumes with it). */
  readonly ledgerGroup: string;
  /** An existing topic whose partition 0 carries the ledger offset. */
  readonly ledgerTopic: string;
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
  /**
   * Opens an atomic, ledgered publisher (see `LedgerPublisher`), fencing any
   * earlier publisher of the same `transactionalId`.
   */
  ledgerPublisher(options: LedgerPublisherOptions): Promise<LedgerPublisher>;
  /** Closes producers and every subscription. Idempotent. */
  close(): Promise<void>;
}
