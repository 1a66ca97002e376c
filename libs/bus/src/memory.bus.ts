import type {
  BatchHandler,
  BusPort,
  IncomingMessage,
  LedgerPublisher,
  LedgerPublisherOptions,
  OutgoingMessage,
  PartitionLag,
  SubscribeOptions,
  Subscription,
  TopicSpec,
} from './bus.port';
import { BusError } from './errors';
import { keyPartition } from './memory.partitioner';
import { checkSubscription, checkTopicSpecs } from './topic-specs';

export interface MemoryBusOptions {
  /** Most messages handed to one handler call (default 1000; Kafka batches by bytes instead). */
  readonly maxBatchSize?: number;
  /**
   * Called when a handler rejects and its subscription stops. Default: one
   * line on stderr, so a stopped consumer is never silent.
   */
  readonly onError?: (error: unknown, where: { groupId: string; topic: string; partition: number }) => void;
}

/** Where a failed handler was and why; set on the subscription that stopped. */
export interface SubscriptionFailure {
  readonly error: unknown;
  readonly topic: string;
  readonly partition: number;
}

/**
 * The bus in one process, for the server-less default run and for tests of
 * services. It keeps Kafka's semantics that consumers rely on:
 *
 * - topics have partitions; a keyed message goes to Kafka's murmur2 partition,
 *   an unkeyed one round-robin; order is kept per partition;
 * - each consumer group has its own committed offsets, and its members split
 *   the partitions of the topics (round-robin by join order, rebalanced when
 *   members join or leave); a partition is never processed by two members at
 *   once, even across a rebalance;
 * - a subscription receives batches from one partition at a time,
 *   asynchronously, and the batch is committed only after the handler
 *   resolves; a rejection stops the subscription without committing, so the
 *   batch is redelivered to the next member of the group.
 *
 * Messages are kept whole for the bus's lifetime (no retention) and stored by
 * reference: do not mutate a Buffer after publishing it.
 */
export class MemoryBus implements BusPort {
  private readonly topics = new Map<string, TopicLog>();
  private readonly groups = new Map<string, Group>();
  /** Ledger sequence per ledger group, and the live publisher per transactional id (fencing). */
  private readonly ledgers = new Map<string, number>();
  private readonly ledgerOwners = new Map<string, object>();
  private readonly maxBatchSize: number;
  private readonly onError: NonNullable<MemoryBusOptions['onError']>;
  private connected = false;
  private closed = false;

  constructor(options: MemoryBusOptions = {}) {
    const max = options.maxBatchSize ?? 1000;
    if (!Number.isInteger(max) || max < 1)
      throw new BusError('BUS_CONFIG', `maxBatchSize must be a positive integer, got ${max}`);
    this.maxBatchSize = max;
    this.onError =
      options.onError ??
      ((error, where) =>
        process.stderr.write(
          `memory bus: handler of group ${where.groupId} failed on ${where.topic}[${where.partition}], subscription stopped: ${String(error)}\n`,
        ));
  }

  async connect(): Promise<void> {
    this.checkOpen();
    this.connected = true;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.checkUsable();
    checkTopicSpecs(topics);
    for (const spec of topics) {
      if (!this.topics.has(spec.name)) {
        this.topics.set(spec.name, {
          partitions: Array.from({ length: spec.partitions }, () => []),
          nextRoundRobin: 0,
        });
      }
    }
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.checkUsable();
    this.append(topic, messages);
  }

  /**
   * In one process every publication is atomic by construction: all topics
   * are checked first, then appended without a yield; the ledger advances
   * with them. Opening a publisher fences the previous one of the same id.
   */
  async ledgerPublisher(options: LedgerPublisherOptions): Promise<LedgerPublisher> {
    this.checkUsable();
    this.topic(options.ledgerTopic);
    const token = {};
    this.ledgerOwners.set(options.transactionalId, token);
    const committed = this.ledgers.get(options.ledgerGroup) ?? -1;
    let last = committed;
    let closed = false;
    return {
      committed,
      publish: async (batches, sequence) => {
        this.checkUsable();
        if (closed || this.ledgerOwners.get(options.transactionalId) !== token)
          throw new BusError(
            'BUS_FENCED',
            `ledger publisher ${options.transactionalId} was closed or fenced by a newer one; publish nothing more`,
          );
        if (!(Number.isSafeInteger(sequence) && sequence > last))
          throw new BusError('BUS_CONFIG', `ledger sequence must grow: ${sequence} after ${last}`);
        for (const b of batches) this.topic(b.topic);
        for (const b of batches) this.append(b.topic, b.messages);
        this.ledgers.set(options.ledgerGroup, sequence);
        last = sequence;
      },
      close: async () => {
        closed = true;
      },
    };
  }

  private append(topic: string, messages: readonly OutgoingMessage[]): void {
    const log = this.topic(topic);
    const n = log.partitions.length;
    for (const message of messages) {
      const partition = message.key === null ? log.nextRoundRobin++ % n : keyPartition(message.key, n);
      const entries = log.partitions[partition];
      entries.push({
        topic,
        partition,
        offset: String(entries.length),
        key: message.key,
        value: message.value,
        ...(message.headers === undefined ? {} : { headers: message.headers }),
      });
    }
    if (messages.length > 0) for (const group of this.groups.values()) group.wake();
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    this.checkUsable();
    checkSubscription(options);
    const logs = options.topics.map((t) => [t, this.topic(t)] as const);
    let group = this.groups.get(options.groupId);
    if (group === undefined) {
      group = new Group(options.groupId, options.exclusive === true);
      this.groups.set(options.groupId, group);
    }
    for (const [name, log] of logs) group.initOffsets(name, log, options.fromBeginning ?? true);
    const subscription = new MemorySubscription(
      group,
      new Map(logs),
      handler,
      this.maxBatchSize,
      this.onError,
      options.onAssignment,
    );
    group.join(subscription);
    subscription.start();
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all = [...this.groups.values()].flatMap((g) => g.members);
    await Promise.all(all.map((s) => s.close()));
  }

  async consumerLag(groupId: string, topics: readonly string[]): Promise<PartitionLag[]> {
    const out: PartitionLag[] = [];
    for (const topic of topics) {
      const ends = this.endOffsets(topic);
      const committed = this.committedOffsets(groupId, topic);
      ends.forEach((end, partition) => out.push({ topic, partition, lag: end - committed[partition] }));
    }
    return out;
  }

  async ping(): Promise<void> {
    this.checkUsable();
  }

  /** Next offset the group will read per partition (its committed offsets), for tests and tooling. */
  committedOffsets(groupId: string, topic: string): number[] {
    const log = this.topic(topic);
    const offsets = this.groups.get(groupId)?.committed.get(topic);
    return log.partitions.map((_, p) => offsets?.[p] ?? 0);
  }

  /** Number of messages in each partition of a topic (Kafka's high watermarks). */
  endOffsets(topic: string): number[] {
    return this.topic(topic).partitions.map((p) => p.length);
  }

  private topic(name: string): TopicLog {
    const log = this.topics.get(name);
    if (log === undefined) {
      throw new BusError(
        'BUS_UNKNOWN_TOPIC',
        `unknown topic ${JSON.stringify(name)}; create it with ensureTopics first (known: ${[...this.topics.keys()].join(', ') || 'none'})`,
      );
    }
    return log;
  }

  private checkOpen(): void {
    if (this.closed) throw new BusError('BUS_CLOSED', 'the memory bus is closed; create a new one');
  }

  private checkUsable(): void {
    this.checkOpen();
    if (!this.connected)
      throw new BusError('BUS_NOT_CONNECTED', 'call connect() before using the memory bus (as with Kafka)');
  }
}

interface TopicLog {
  readonly partitions: IncomingMessage[][];
  nextRoundRobin: number;
}

/** A consumer group: committed offsets, members, and which partitions are being processed. */
class Group {
  /** Per topic, the next offset to read per partition. */
  readonly committed = new Map<string, number[]>();
  readonly members: MemorySubscription[] = [];
  /** `topic\0partition` of batches in flight, so a rebalance never hands a busy partition to a second member. */
  readonly inFlight = new Set<string>();

  /** `exclusive`: every partition goes to the longest-standing member (SubscribeOptions.exclusive). */
  constructor(
    readonly id: string,
    private readonly exclusive: boolean,
  ) {}

  initOffsets(topic: string, log: TopicLog, fromBeginning: boolean): void {
    if (this.committed.has(topic)) return;
    this.committed.set(
      topic,
      log.partitions.map((p) => (fromBeginning ? 0 : p.length)),
    );
  }

  join(member: MemorySubscription): void {
    this.members.push(member);
    this.rebalance();
  }

  leave(member: MemorySubscription): void {
    const i = this.members.indexOf(member);
    if (i >= 0) this.members.splice(i, 1);
    this.rebalance();
  }

  /** Round-robin of each topic's partitions over the members subscribed to it, in join order (all to the first when exclusive). */
  private rebalance(): void {
    for (const m of this.members) m.assigned = [];
    const topics = new Set(this.members.flatMap((m) => [...m.logs.keys()]));
    for (const topic of topics) {
      const subscribers = this.members.filter((m) => m.logs.has(topic));
      const partitions = subscribers[0].logs.get(topic)!.partitions.length;
      for (let p = 0; p < partitions; p++)
        subscribers[this.exclusive ? 0 : p % subscribers.length].assigned.push({ topic, partition: p });
    }
    for (const m of this.members) m.assignmentChanged();
    this.wake();
  }

  wake(): void {
    for (const m of this.members) m.wake();
  }
}

/** One member of a group, running its delivery loop until closed or failed. */
export class MemorySubscription implements Subscription {
  /** Set when a handler rejected and the subscription stopped. */
  failure: SubscriptionFailure | undefined;
  /** Partitions this member owns after the last rebalance. */
  assigned: { topic: string; partition: number }[] = [];
  private closing = false;
  private done: Promise<void> = Promise.resolve();
  private wakeUp: (() => void) | undefined;
  /** Rotates the first partition looked at, so one busy partition cannot starve the others. */
  private cursor = 0;

  constructor(
    private readonly group: Group,
    readonly logs: ReadonlyMap<string, TopicLog>,
    private readonly handler: BatchHandler,
    private readonly maxBatchSize: number,
    private readonly onError: NonNullable<MemoryBusOptions['onError']>,
    private readonly onAssignment?: (partitions: number) => void,
  ) {}

  /** Tells the member's `onAssignment` after a rebalance (as kafkajs does after every join), unless it is closing. */
  assignmentChanged(): void {
    if (!this.closing) this.onAssignment?.(this.assigned.length);
  }

  start(): void {
    // setImmediate: the first batch is delivered after subscribe() has returned, never inside it.
    this.done = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.run());
  }

  wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = undefined;
    wake?.();
  }

  /**
   * Finishes and commits the batch in flight, then leaves the group.
   * Idempotent; resolves after a failure too. Calling it from inside this
   * subscription's own handler would wait for itself: close from outside.
   */
  async close(): Promise<void> {
    this.closing = true;
    this.wake();
    await this.done;
  }

  private async run(): Promise<void> {
    try {
      while (!this.closing) {
        const next = this.nextBatch();
        if (next === undefined) {
          await new Promise<void>((resolve) => (this.wakeUp = resolve));
          continue;
        }
        const { topic, partition, from, batch } = next;
        const key = `${topic}\0${partition}`;
        this.group.inFlight.add(key);
        try {
          await this.handler(batch);
        } catch (error) {
          this.failure = { error, topic, partition };
          this.onError(error, { groupId: this.group.id, topic, partition });
          return;
        } finally {
          this.group.inFlight.delete(key);
        }
        this.group.committed.get(topic)![partition] = from + batch.length;
        // Other members may be waiting for this partition after a rebalance.
        this.group.wake();
        // Yield to the event loop between batches so publishers and other groups make progress.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.group.leave(this);
    }
  }

  private nextBatch():
    { topic: string; partition: number; from: number; batch: IncomingMessage[] } | undefined {
    const n = this.assigned.length;
    for (let k = 0; k < n; k++) {
      const { topic, partition } = this.assigned[(this.cursor + k) % n];
      if (this.group.inFlight.has(`${topic}\0${partition}`)) continue;
      const from = this.group.committed.get(topic)![partition];
      const entries = this.logs.get(topic)!.partitions[partition];
      if (from >= entries.length) continue;
      this.cursor = (this.cursor + k + 1) % n;
      return { topic, partition, from, batch: entries.slice(from, from + this.maxBatchSize) };
    }
    return undefined;
  }
}
