import {
  Kafka,
  Partitioners,
  type Admin,
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  type Producer,
} from 'kafkajs';
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
import { exclusiveAssigner } from './exclusive.assigner';
import { quietLogCreator } from './kafka.logger';
import {
  kafkaClientSecurity,
  resolveKafkaBusOptions,
  type KafkaBusOptions,
  type ResolvedKafkaBusOptions,
} from './kafka.options';
import { checkSubscription, checkTopicSpecs } from './topic-specs';

/** Where a failed handler was and why; set on the subscription that stopped. */
export interface KafkaSubscriptionFailure {
  readonly error: unknown;
  readonly topic: string;
  readonly partition: number;
}

/** Per-record overhead assumed when sizing produce requests (record header, varints, batch share). */
const RECORD_OVERHEAD_BYTES = 70;

/**
 * The bus on a real Kafka cluster, through kafkajs 2.2.4 (the only place in the
 * repository that imports it, so the client can be swapped).
 *
 * - Publishing uses one idempotent producer (acks = all, one request in flight
 *   per broker, so retries neither duplicate nor reorder). Keys are partitioned
 *   with murmur2 like the Java client. Large publishes are split into requests
 *   below the broker's 1 MiB limit and sent one after another.
 * - Each subscription is its own consumer in the consumer group; members of a
 *   group split the partitions (kafkajs round-robin assigner). Batches come one
 *   partition at a time; a batch's offsets are resolved and committed only after
 *   the handler resolves (at-least-once: a crash between the handler's store
 *   write and the commit replays the batch, which the idempotent writes absorb).
 *   While a handler runs, heartbeats keep the member in the group.
 * - A handler rejection stops that subscription without committing, so the
 *   batch goes to the next member (or the next start) of the group.
 */
export class KafkaBus implements BusPort {
  private readonly options: ResolvedKafkaBusOptions;
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly subscriptions = new Set<KafkaSubscription>();
  private connected = false;
  private closing: Promise<void> | undefined;
  /** A long-lived admin client without retries for pings and lag (one connection, not one per scrape). */
  private monitor: Promise<Admin> | undefined;

  constructor(options: KafkaBusOptions) {
    this.options = resolveKafkaBusOptions(options);
    const o = this.options;
    this.kafka = new Kafka({
      clientId: o.clientId,
      brokers: [...o.brokers],
      connectionTimeout: o.connectionTimeoutMs,
      retry: { retries: o.retries },
      ...kafkaClientSecurity(options),
      ...quietLogCreator(o.logLevel, o.log),
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // kafkajs refuses an idempotent producer without retries (the sequence
      // numbers are what make retrying safe).
      retry: { retries: Math.max(1, o.retries) },
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  }

  /** Connects the producer; fails fast with a clear message if no broker answers. */
  async connect(): Promise<void> {
    this.checkOpen();
    if (this.connected) return;
    try {
      await this.producer.connect();
    } catch (err) {
      throw this.unreachable(err);
    }
    this.connected = true;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.checkUsable();
    checkTopicSpecs(topics);
    await this.withAdmin(async (admin) => {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t.name));
      if (missing.length === 0) return;
      // createTopics answers false (no throw) for a topic another process created
      // meanwhile, which is what "leave existing ones alone" wants.
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: -1 })),
      });
    });
  }

  async publish(topic: string, messages: readonly OutgoingMessage[]): Promise<void> {
    this.checkUsable();
    if (messages.length === 0) return;
    let acknowledged = 0;
    for (const chunk of requestChunks(messages, this.options.maxRequestBytes)) {
      try {
        await this.producer.send({ topic, acks: -1, messages: chunk });
      } catch (err) {
        throw new BusError(
          'BUS_PUBLISH',
          `publishing ${messages.length} message(s) to topic '${topic}' failed after ${acknowledged} were acknowledged: ${describe(err)}. ` +
            'Check that the topic exists (BusPort.ensureTopics) and the brokers are up.',
          { cause: err, retriable: true },
        );
      }
      acknowledged += chunk.length;
    }
  }

  async subscribe(options: SubscribeOptions, handler: BatchHandler): Promise<Subscription> {
    this.checkUsable();
    checkSubscription(options);
    const o = this.options;
    // The exclusive assigner asks the subscription (built below) whether it owns the partitions now.
    const self: { subscription?: KafkaSubscription } = {};
    const consumer = this.kafka.consumer({
      groupId: options.groupId,
      partitionAssigners:
        options.exclusive === true
          ? [exclusiveAssigner(() => self.subscription?.owns() ?? false)]
          : undefined,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: o.heartbeatIntervalMs,
      maxWaitTimeInMs: o.maxWaitTimeMs,
      allowAutoTopicCreation: false,
      retry: { retries: o.retries },
    });
    const subscription = new KafkaSubscription(
      consumer,
      options.groupId,
      handler,
      o,
      (s) => this.subscriptions.delete(s),
      options.onAssignment,
    );
    self.subscription = subscription;
    this.subscriptions.add(subscription);
    try {
      await subscription.start(options.topics, options.fromBeginning ?? true, o.joinTimeoutMs);
    } catch (err) {
      this.subscriptions.delete(subscription);
      await consumer.disconnect().catch(() => undefined);
      throw this.unreachable(err, `subscribing group ${options.groupId} to ${options.topics.join(', ')}`);
    }
    return subscription;
  }

  /**
   * A transactional producer (`transactionalId`, idempotent, one request in
   * flight): each `publish` is one Kafka transaction holding the messages and
   * the ledger (`sendOffsets` of `ledgerGroup` on `ledgerTopic` partition 0
   * set to the sequence; the broker does not check a committed offset against
   * the log, and nobody consumes with that group). Connecting runs
   * InitProducerId, which aborts the open transaction of an earlier producer
   * with the same id and fences it; the ledger is read after that, so it is
   * final. Consumers must read committed data (kafkajs' default, and
   * `subscribe` here).
   */
  async ledgerPublisher(options: LedgerPublisherOptions): Promise<LedgerPublisher> {
    this.checkUsable();
    const producer = this.kafka.producer({
      transactionalId: options.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: Math.max(1, this.options.retries) },
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
      // kafkajs runs the transactional InitProducerId at the first transaction, not at connect: an
      // empty one (aborted locally, nothing sent) runs it now, so the earlier publisher is fenced and
      // its open transaction aborted before the ledger is read.
      await (await producer.transaction()).abort();
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw this.unreachable(err, `opening the transactional publisher ${options.transactionalId}`);
    }
    let committed = -1;
    try {
      const [entry] = await this.withAdmin((admin) =>
        whileCoordinatorLoads(() =>
          admin.fetchOffsets({ groupId: options.ledgerGroup, topics: [options.ledgerTopic] }),
        ),
      );
      const offset = Number(entry?.partitions.find((p) => p.partition === 0)?.offset ?? -1);
      committed = Number.isFinite(offset) && offset >= 0 ? offset : -1;
    } catch (err) {
      await producer.disconnect().catch(() => undefined);
      throw this.unreachable(err, `reading the ledger of ${options.transactionalId}`);
    }
    const limit = this.options.maxRequestBytes;
    let last = committed;
    return {
      committed,
      publish: async (batches, sequence) => {
        this.checkUsable();
        if (!(Number.isSafeInteger(sequence) && sequence > last))
          throw new BusError('BUS_CONFIG', `ledger sequence must grow: ${sequence} after ${last}`);
        const tx = await producer.transaction();
        try {
          for (const b of batches)
            for (const chunk of requestChunks(b.messages, limit))
              await tx.send({ topic: b.topic, acks: -1, messages: chunk });
          await tx.sendOffsets({
            consumerGroupId: options.ledgerGroup,
            topics: [
              { topic: options.ledgerTopic, partitions: [{ partition: 0, offset: String(sequence) }] },
            ],
          });
          await tx.commit();
        } catch (err) {
          await tx.abort().catch(() => undefined);
          throw new BusError(
            'BUS_PUBLISH',
            `transaction ${sequence} of ${options.transactionalId} failed and was aborted (nothing of it is visible): ${describe(err)}`,
            { cause: err, retriable: true },
          );
        }
        last = sequence;
      },
      close: () => producer.disconnect().catch(() => undefined),
    };
  }

  async consumerLag(groupId: string, topics: readonly string[]): Promise<PartitionLag[]> {
    this.checkUsable();
    return this.monitored(async (admin) => {
      const out: PartitionLag[] = [];
      const committed = await admin.fetchOffsets({ groupId, topics: [...topics] });
      for (const topic of topics) {
        const done = new Map(
          (committed.find((c) => c.topic === topic)?.partitions ?? []).map((p) => [
            p.partition,
            Number(p.offset),
          ]),
        );
        for (const p of await admin.fetchTopicOffsets(topic)) {
          const high = Number(p.high);
          const from = done.get(p.partition) ?? -1;
          // No committed offset yet: everything from the low watermark is still to read.
          out.push({ topic, partition: p.partition, lag: high - (from < 0 ? Number(p.low) : from) });
        }
      }
      return out;
    });
  }

  async ping(): Promise<void> {
    this.checkUsable();
    await this.monitored(async (admin) => {
      await admin.describeCluster();
    });
  }

  /** Runs `fn` on the monitor admin; a failure drops the connection so the next call reconnects. */
  private async monitored<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    this.monitor ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      await admin.connect();
      return admin;
    })();
    const pending = this.monitor;
    try {
      return await fn(await pending);
    } catch (err) {
      if (this.monitor === pending) this.monitor = undefined;
      void pending.then((admin) => admin.disconnect()).catch(() => undefined);
      throw this.unreachable(err, 'asking the cluster for metadata');
    }
  }

  /** Closes every subscription (each finishes and commits its batch in flight), then the producer. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const monitor = this.monitor;
      this.monitor = undefined;
      if (monitor !== undefined) await monitor.then((admin) => admin.disconnect()).catch(() => undefined);
      await Promise.all([...this.subscriptions].map((s) => s.close()));
      if (this.connected) await this.producer.disconnect().catch(() => undefined);
    })();
    return this.closing;
  }

  /** The group's committed offsets per partition of a topic (-1: none), for tests and tooling. */
  async committedOffsets(groupId: string, topic: string): Promise<Map<number, string>> {
    return this.withAdmin(async (admin) => {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return new Map((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
    });
  }

  private async withAdmin<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
    } catch (err) {
      throw this.unreachable(err);
    }
    try {
      return await fn(admin);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private unreachable(err: unknown, what = 'connecting'): BusError {
    if (err instanceof BusError) return err;
    const name = err instanceof Error ? err.name : '';
    if (name === 'KafkaJSSASLAuthenticationError') {
      return new BusError(
        'BUS_AUTH',
        `Kafka at ${this.options.brokers.join(', ')} refused the SASL login of user '${this.options.sasl?.username ?? ''}' while ${what} (${describe(err)}); check streaming.security.kafka.sasl_username and ALPHAFEED_KAFKA_PASSWORD[_FILE]`,
        { cause: err },
      );
    }
    const network =
      /Connection|NumberOfRetriesExceeded|BrokerNotFound|NoBrokerAvailable/.test(name) ||
      /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH/.test(describe(err));
    if (!network) {
      return new BusError('BUS_KAFKA', `Kafka failed while ${what}: ${describe(err)}`, {
        cause: err,
        retriable: true,
      });
    }
    return new BusError(
      'BUS_UNREACHABLE',
      `no Kafka broker answered at ${this.options.brokers.join(', ')} while ${what} (${describe(err)}). ` +
        "Start the local servers with 'npm run infra:up', or point ALPHAFEED_KAFKA_BROKERS at a running cluster.",
      { cause: err, retriable: true },
    );
  }

  private checkOpen(): void {
    if (this.closing !== undefined)
      throw new BusError('BUS_CLOSED', 'the Kafka bus is closed; create a new KafkaBus');
  }

  private checkUsable(): void {
    this.checkOpen();
    if (!this.connected)
      throw new BusError('BUS_NOT_CONNECTED', 'call KafkaBus.connect() before using the bus');
  }
}

/** One consumer-group member. */
export class KafkaSubscription implements Subscription {
  /** Set when the handler rejected and the subscription stopped. */
  failure: KafkaSubscriptionFailure | undefined;
  private readonly assigned = new Map<string, readonly number[]>();
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly consumer: Consumer,
    readonly groupId: string,
    private readonly handler: BatchHandler,
    private readonly options: ResolvedKafkaBusOptions,
    private readonly onClosed: (s: KafkaSubscription) => void,
    private readonly onAssignment?: (partitions: number) => void,
  ) {}

  /** Partitions this member holds now, by topic (empty until it has joined the group). */
  assignment(): ReadonlyMap<string, readonly number[]> {
    return this.assigned;
  }

  /** True while this member holds at least one partition. */
  owns(): boolean {
    for (const partitions of this.assigned.values()) if (partitions.length > 0) return true;
    return false;
  }

  /**
   * Connects, joins the group and starts fetching; resolves once this member
   * has joined the group (has an assignment). kafkajs reports a failed join
   * through CRASH events rather than a rejection, and restarts the consumer by
   * itself when the error is retriable (e.g. "coordinator is loading" while a
   * fresh broker creates __consumer_offsets), so this waits for the join or a
   * final crash, within `joinTimeoutMs`.
   */
  async start(topics: readonly string[], fromBeginning: boolean, joinTimeoutMs: number): Promise<void> {
    const c = this.consumer;
    let joined!: () => void;
    let failed!: (err: unknown) => void;
    const outcome = new Promise<void>((resolve, reject) => {
      joined = resolve;
      failed = reject;
    });
    c.on(c.events.GROUP_JOIN, (e) => {
      this.assigned.clear();
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment))
        this.assigned.set(
          topic,
          [...partitions].sort((a, b) => a - b),
        );
      joined();
      let count = 0;
      for (const list of this.assigned.values()) count += list.length;
      if (this.stopping === undefined) this.onAssignment?.(count);
    });
    c.on(c.events.CRASH, (e) => {
      if (e.payload.restart) return;
      failed(e.payload.error);
      if (this.failure === undefined && this.stopping === undefined) {
        this.options.onError(e.payload.error, { groupId: this.groupId, topic: '', partition: -1 });
      }
    });
    await c.connect();
    await c.subscribe({ topics: [...topics], fromBeginning });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`group ${this.groupId} not joined within ${joinTimeoutMs} ms`)),
        joinTimeoutMs,
      );
    });
    try {
      await Promise.race([outcome, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops fetching, lets the batch in flight finish and commit, leaves the group. Idempotent; resolves after a failure too. */
  close(): Promise<void> {
    this.stopping ??= this.consumer
      .disconnect()
      .catch(() => undefined)
      .finally(() => this.onClosed(this));
    return this.stopping;
  }

  private async onBatch(p: EachBatchPayload): Promise<void> {
    const { batch } = p;
    if (this.failure !== undefined || !p.isRunning() || p.isStale() || batch.messages.length === 0) return;
    const messages: IncomingMessage[] = new Array(batch.messages.length);
    for (let i = 0; i < batch.messages.length; i++) {
      const m = batch.messages[i];
      messages[i] = {
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value ?? Buffer.alloc(0),
        ...(m.headers === undefined || Object.keys(m.headers).length === 0
          ? {}
          : { headers: headersToStrings(m.headers) }),
      };
    }

    // Heartbeats while the handler runs: kafkajs only heartbeats between
    // batches, and a handler slower than the session timeout would get this
    // member evicted and its partitions processed twice. heartbeat() itself
    // skips calls closer together than heartbeatInterval.
    const timer = setInterval(() => {
      p.heartbeat().catch(() => undefined); // a rebalance shows up again at commit time
    }, this.options.heartbeatIntervalMs);
    try {
      await this.handler(messages);
    } catch (error) {
      this.failure = { error, topic: batch.topic, partition: batch.partition };
      this.options.onError(error, { groupId: this.groupId, topic: batch.topic, partition: batch.partition });
      // Not awaited: disconnect waits for this very batch callback to return.
      void this.close();
      return;
    } finally {
      clearInterval(timer);
    }

    p.resolveOffset(messages[messages.length - 1].offset);
    // autoCommit is off, so commitOffsetsIfNecessary() with no argument would
    // never commit; passing the resolved offsets commits them now, before the
    // next batch is handed out.
    await p.commitOffsetsIfNecessary(p.uncommittedOffsets());
    await p.heartbeat();
  }
}

function headersToStrings(headers: IHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
  }
  return out;
}

/**
 * Runs a group-coordinator request again while the coordinator is still
 * loading or moving (a fresh or restarted broker), up to 30 s with backoff;
 * kafkajs' admin gives up on these at once.
 */
async function whileCoordinatorLoads<T>(request: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (let wait = 100; ; wait = Math.min(2000, wait * 2)) {
    try {
      return await request();
    } catch (err) {
      const e = err as { type?: string; message?: string };
      const transient =
        /COORDINATOR_LOAD_IN_PROGRESS|COORDINATOR_NOT_AVAILABLE|NOT_COORDINATOR/.test(e.type ?? '') ||
        /coordinator is (loading|not available)|not the correct coordinator/i.test(e.message ?? '');
      if (!transient || Date.now() + wait > deadline) throw err;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Messages in requests of at most `limit` bytes (at least one message each), in order. */
function requestChunks(
  messages: readonly OutgoingMessage[],
  limit: number,
): { key: Buffer | null; value: Buffer; headers?: Record<string, string> }[][] {
  const out: { key: Buffer | null; value: Buffer; headers?: Record<string, string> }[][] = [];
  let start = 0;
  while (start < messages.length) {
    let end = start;
    let bytes = 0;
    // At least one message per request; a single oversized one is the broker's to reject.
    while (end < messages.length && (end === start || bytes + messageBytes(messages[end]) <= limit)) {
      bytes += messageBytes(messages[end]);
      end++;
    }
    const chunk = [];
    for (let i = start; i < end; i++) {
      const m = messages[i];
      chunk.push({
        key: m.key,
        value: m.value,
        ...(m.headers === undefined ? {} : { headers: { ...m.headers } }),
      });
    }
    out.push(chunk);
    start = end;
  }
  return out;
}

function messageBytes(m: OutgoingMessage): number {
  let n = RECORD_OVERHEAD_BYTES + m.value.length + (m.key?.length ?? 0);
  if (m.headers !== undefined)
    for (const [k, v] of Object.entries(m.headers)) n += k.length + Buffer.byteLength(v) + 8;
  return n;
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error && cause.message !== err.message
      ? `${err.name}: ${err.message} (${cause.message})`
      : `${err.name}: ${err.message}`;
  }
  return String(err);
}
