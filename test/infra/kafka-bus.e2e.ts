import { KafkaBus, type IncomingMessage, type KafkaSubscription } from '@alphafeed/bus';
import { env, unique, until } from './poll';

/**
 * KafkaBus against a real broker: commit-after-handler, resume after the
 * committed offset, partition split in a group, no commit on rejection.
 * Each test has its own topic and consumer group.
 */

// Short heartbeats so a member learns of a rebalance (another member joining) quickly.
const fastGroup = { heartbeatIntervalMs: 300, sessionTimeoutMs: 6000, maxWaitTimeMs: 100 };

function messages(from: number, to: number, key = (i: number) => `k${i}`) {
  const out = [];
  for (let i = from; i < to; i++)
    out.push({ key: Buffer.from(key(i)), value: Buffer.from(`m${i}`), headers: { seq: String(i) } });
  return out;
}

function sumCommitted(offsets: Map<number, string>): number {
  let s = 0;
  for (const o of offsets.values()) if (Number(o) > 0) s += Number(o);
  return s;
}

describe('KafkaBus on a real broker', () => {
  let bus: KafkaBus;
  const errors: unknown[] = [];

  beforeEach(async () => {
    errors.length = 0;
    bus = new KafkaBus({
      brokers: env('ALPHAFEED_KAFKA_BROKERS').split(','),
      ...fastGroup,
      onError: (e) => errors.push(e),
    });
    await bus.connect();
  });

  afterEach(async () => {
    await bus.close();
  });

  test('commits a batch only after its handler resolved, and a restarted consumer resumes after the committed offset', async () => {
    const topic = unique('resume');
    const groupId = unique('g_resume');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, messages(0, 10));

    const seen: IncomingMessage[] = [];
    const committedDuringHandler: number[] = [];
    const sub = await bus.subscribe({ groupId, topics: [topic] }, async (batch) => {
      // The group's committed offset, read while this batch is being handled,
      // must not yet cover the batch.
      committedDuringHandler.push(sumCommitted(await bus.committedOffsets(groupId, topic)));
      expect(Number(batch[0].offset)).toBeGreaterThanOrEqual(
        committedDuringHandler[committedDuringHandler.length - 1],
      );
      seen.push(...batch);
    });
    await until(
      '10 messages consumed and committed',
      async () => sumCommitted(await bus.committedOffsets(groupId, topic)),
      (n) => n === 10,
    );
    expect(seen.map((m) => m.value.toString())).toEqual(messages(0, 10).map((m) => m.value.toString()));
    expect(seen[3].key?.toString()).toBe('k3');
    expect(seen[3].headers).toEqual({ seq: '3' });
    for (let i = 0; i < committedDuringHandler.length; i++)
      expect(committedDuringHandler[i]).toBeLessThanOrEqual(Number(seen[0].offset) + seen.length);
    await sub.close();

    await bus.publish(topic, messages(10, 15));
    const resumed: IncomingMessage[] = [];
    await bus.subscribe({ groupId, topics: [topic] }, async (batch) => {
      resumed.push(...batch);
    });
    await until(
      'the 5 new messages',
      () => resumed.length,
      (n) => n >= 5,
    );
    await until(
      'commit of the new messages',
      async () => sumCommitted(await bus.committedOffsets(groupId, topic)),
      (n) => n === 15,
    );
    // Redelivered old messages would come first on the single partition.
    expect(resumed.map((m) => m.offset)).toEqual(['10', '11', '12', '13', '14']);
    expect(errors).toEqual([]);
  });

  test('two members of a group split a 4-partition topic and no message is processed twice', async () => {
    const topic = unique('split');
    const groupId = unique('g_split');
    await bus.ensureTopics([{ name: topic, partitions: 4 }]);

    const byMember: IncomingMessage[][] = [[], []];
    const a = (await bus.subscribe(
      { groupId, topics: [topic] },
      async (b) => void byMember[0].push(...b),
    )) as KafkaSubscription;
    const b = (await bus.subscribe(
      { groupId, topics: [topic] },
      async (batch) => void byMember[1].push(...batch),
    )) as KafkaSubscription;
    const parts = (s: KafkaSubscription) => [...(s.assignment().get(topic) ?? [])];
    await until(
      'both members to hold disjoint halves of the 4 partitions',
      () => [parts(a), parts(b)],
      ([pa, pb]) =>
        pa.length > 0 && pb.length > 0 && new Set([...pa, ...pb]).size === 4 && pa.length + pb.length === 4,
    );

    const n = 400;
    await bus.publish(topic, messages(0, n));
    await until(
      'every message consumed and committed',
      async () => sumCommitted(await bus.committedOffsets(groupId, topic)),
      (c) => c === n,
    );

    const ids = [...byMember[0], ...byMember[1]].map((m) => `${m.partition}@${m.offset}`);
    expect(ids.length).toBe(n);
    expect(new Set(ids).size).toBe(n);
    expect(byMember[0].length).toBeGreaterThan(0);
    expect(byMember[1].length).toBeGreaterThan(0);
    // Each member only saw its own partitions.
    expect(new Set(byMember[0].map((m) => m.partition))).toEqual(new Set(parts(a)));
    expect(new Set(byMember[1].map((m) => m.partition))).toEqual(new Set(parts(b)));
    // Same key, same partition (murmur2): a key never shows up on two partitions.
    const partitionOfKey = new Map<string, number>();
    for (const m of [...byMember[0], ...byMember[1]]) {
      const k = m.key?.toString() ?? '';
      expect(partitionOfKey.get(k) ?? m.partition).toBe(m.partition);
      partitionOfKey.set(k, m.partition);
    }
  });

  test('exclusive: one member holds every partition of both topics, keeps them when another joins, and hands them over when it leaves', async () => {
    const [bars, eod] = [unique('excl_bars'), unique('excl_eod')];
    const groupId = unique('g_excl');
    await bus.ensureTopics([
      { name: bars, partitions: 3 },
      { name: eod, partitions: 1 },
    ]);
    const byMember: IncomingMessage[][] = [[], []];
    const join = async (who: 0 | 1) =>
      (await bus.subscribe(
        { groupId, topics: [bars, eod], exclusive: true },
        async (batch) => void byMember[who].push(...batch),
      )) as KafkaSubscription;
    const held = (s: KafkaSubscription) =>
      [...(s.assignment().get(bars) ?? []), ...(s.assignment().get(eod) ?? [])].length;
    const a = await join(0);
    const b = await join(1);
    await until(
      'the first member to hold all 4 partitions and the second none',
      () => [held(a), held(b)],
      ([x, y]) => x === 4 && y === 0,
    );
    await bus.publish(bars, messages(0, 90));
    await bus.publish(eod, messages(0, 3));
    await until(
      'the first burst committed',
      async () => sumCommitted(await bus.committedOffsets(groupId, bars)),
      (c) => c === 90,
    );
    expect(byMember[0].length).toBe(93);
    expect(byMember[1].length).toBe(0);

    await a.close();
    await until(
      'the standby to take all 4 partitions over',
      () => held(b),
      (n) => n === 4,
    );
    await bus.publish(bars, messages(90, 120));
    await until(
      'the second burst committed',
      async () => sumCommitted(await bus.committedOffsets(groupId, bars)),
      (c) => c === 120,
    );
    expect(byMember[1].map((m) => m.value.toString()).sort()).toEqual(
      messages(90, 120)
        .map((m) => m.value.toString())
        .sort(),
    );
  });

  test('onAssignment tells each member how many partitions it holds after every join', async () => {
    const topic = unique('assign');
    const groupId = unique('g_assign');
    await bus.ensureTopics([{ name: topic, partitions: 3 }]);
    const seen: [string, number][] = [];
    const join = (who: string) =>
      bus.subscribe(
        { groupId, topics: [topic], exclusive: true, onAssignment: (n) => seen.push([who, n]) },
        async () => undefined,
      );
    const a = await join('a');
    const b = await join('b');
    await until(
      'both members told',
      () => seen.filter(([w]) => w === 'b').length,
      (n) => n >= 1,
    );
    expect(seen.filter(([w]) => w === 'a').at(-1)).toEqual(['a', 3]);
    expect(seen.filter(([w]) => w === 'b').at(-1)).toEqual(['b', 0]);
    await a.close();
    await until(
      'the standby told it holds everything',
      () => seen.at(-1),
      (last) => last?.[0] === 'b' && last[1] === 3,
    );
    await b.close();
  });

  test('a ledger publisher publishes atomically with its sequence, and a newer one fences it and reads the ledger', async () => {
    const [alphas, markers] = [unique('ledger_a'), unique('ledger_m')];
    await bus.ensureTopics([
      { name: alphas, partitions: 3 },
      { name: markers, partitions: 1 },
    ]);
    const options = { transactionalId: unique('tx'), ledgerGroup: unique('g_ledger'), ledgerTopic: alphas };
    const first = await bus.ledgerPublisher(options);
    expect(first.committed).toBe(-1);
    await first.publish(
      [
        { topic: alphas, messages: messages(0, 5) },
        { topic: markers, messages: messages(0, 1) },
      ],
      1,
    );
    await first.publish([{ topic: alphas, messages: messages(5, 8) }], 2);
    await expect(first.publish([{ topic: alphas, messages: messages(8, 9) }], 2)).rejects.toMatchObject({
      code: 'BUS_CONFIG',
    });

    // A second publisher of the same id (a standby taking over) fences the first and sees sequence 2.
    const second = await bus.ledgerPublisher(options);
    expect(second.committed).toBe(2);
    await expect(first.publish([{ topic: alphas, messages: messages(100, 101) }], 3)).rejects.toMatchObject({
      code: 'BUS_PUBLISH',
    });
    await second.publish([{ topic: alphas, messages: messages(8, 10) }], 3);
    await first.close();
    await second.close();

    // A read-committed consumer sees exactly the committed publications, nothing of the fenced one.
    const seen: string[] = [];
    await bus.subscribe({ groupId: unique('g_read'), topics: [alphas, markers] }, async (batch) => {
      seen.push(...batch.map((m) => `${m.topic === markers ? 'marker ' : ''}${m.value.toString()}`));
    });
    await until(
      'every committed message read',
      () => seen.length,
      (n) => n >= 11,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(seen.sort()).toEqual([...messages(0, 10).map((m) => m.value.toString()), 'marker m0'].sort());
  });

  test('a rejecting handler stops its subscription and leaves the offsets uncommitted', async () => {
    const topic = unique('reject');
    const groupId = unique('g_reject');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, messages(0, 3));

    let calls = 0;
    const failing = (await bus.subscribe({ groupId, topics: [topic] }, async () => {
      calls++;
      throw new Error('store write failed');
    })) as KafkaSubscription;
    await until(
      'the subscription to stop',
      () => failing.failure !== undefined,
      (x) => x,
    );
    expect(String((failing.failure?.error as Error).message)).toBe('store write failed');
    expect(errors).toHaveLength(1);
    await failing.close();
    expect(calls).toBe(1);
    expect(sumCommitted(await bus.committedOffsets(groupId, topic))).toBe(0);

    // The next member of the group gets the same batch again.
    const again: IncomingMessage[] = [];
    await bus.subscribe({ groupId, topics: [topic] }, async (batch) => void again.push(...batch));
    await until(
      'redelivery from offset 0',
      () => again.length,
      (n) => n >= 3,
    );
    expect(again.map((m) => m.offset)).toEqual(['0', '1', '2']);
  });

  test('close() lets the batch in flight finish, commits it, then leaves the group', async () => {
    const topic = unique('close');
    const groupId = unique('g_close');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, messages(0, 5));

    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let inFlight = 0;
    const sub = await bus.subscribe({ groupId, topics: [topic] }, async (batch) => {
      inFlight = batch.length;
      await gate;
    });
    await until(
      'a batch in flight',
      () => inFlight,
      (n) => n > 0,
    );
    let closed = false;
    const closing = sub.close().then(() => (closed = true));
    // close() must wait for the handler; nothing is committed before it resolves.
    expect(sumCommitted(await bus.committedOffsets(groupId, topic))).toBe(0);
    expect(closed).toBe(false);
    release();
    await closing;
    expect(sumCommitted(await bus.committedOffsets(groupId, topic))).toBe(inFlight);
  });

  test('a handler slower than the session timeout keeps its partitions (heartbeats during the batch)', async () => {
    const topic = unique('slow');
    const groupId = unique('g_slow');
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, messages(0, 3));

    // sessionTimeoutMs 6000 is the broker's minimum; the first batch takes longer.
    const slowBus = new KafkaBus({
      brokers: env('ALPHAFEED_KAFKA_BROKERS').split(','),
      heartbeatIntervalMs: 500,
      sessionTimeoutMs: 6000,
      maxWaitTimeMs: 100,
    });
    await slowBus.connect();
    try {
      const handled: string[] = [];
      let first = true;
      await slowBus.subscribe({ groupId, topics: [topic] }, async (batch) => {
        if (first) {
          first = false;
          // Simulated long work (a big store write).
          await new Promise((r) => setTimeout(r, 8000));
        }
        handled.push(...batch.map((m) => m.offset));
      });
      await until(
        'the batch committed',
        async () => sumCommitted(await bus.committedOffsets(groupId, topic)),
        (n) => n === 3,
        30_000,
      );
      // Evicted mid-batch, the member would have re-joined and been handed the uncommitted batch again.
      expect(handled).toEqual(['0', '1', '2']);
    } finally {
      await slowBus.close();
    }
  });

  test('an unreachable broker fails connect() with the brokers and the fix in the message', async () => {
    const dead = new KafkaBus({ brokers: ['127.0.0.1:1'], retries: 0, connectionTimeoutMs: 500 });
    await expect(dead.connect()).rejects.toMatchObject({
      code: 'BUS_UNREACHABLE',
      message: expect.stringMatching(/127\.0\.0\.1:1.*npm run infra:up/s),
    });
    await dead.close();
  });
});
