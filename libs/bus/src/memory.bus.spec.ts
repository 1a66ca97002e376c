import type { IncomingMessage } from './bus.port';
import { BusError } from './errors';
import { MemoryBus, type MemorySubscription } from './memory.bus';

const TOPIC = 'bars.daily.v1';

/** Polls until `done()` holds or the deadline passes (no fixed sleeps). */
async function until(done: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function msg(key: string | null, value: string) {
  return { key: key === null ? null : Buffer.from(key), value: Buffer.from(value) };
}

async function bus(partitions = 4, maxBatchSize = 1000): Promise<MemoryBus> {
  const b = new MemoryBus({ maxBatchSize, onError: () => undefined });
  await b.connect();
  await b.ensureTopics([{ name: TOPIC, partitions }]);
  return b;
}

describe('MemoryBus', () => {
  it('delivers nothing for an empty topic and nothing for an empty publish', async () => {
    const b = await bus();
    const seen: IncomingMessage[] = [];
    const sub = await b.subscribe(
      { groupId: 'g', topics: [TOPIC] },
      async (batch) => void seen.push(...batch),
    );
    await b.publish(TOPIC, []);
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([]);
    await sub.close();
    await b.close();
  });

  it('delivers values, keys, headers and offsets asynchronously', async () => {
    const b = await bus(1);
    await b.publish(TOPIC, [{ ...msg('k', 'v0'), headers: { h: '1' } }, msg(null, 'v1')]);
    const seen: IncomingMessage[] = [];
    let inside = true;
    await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async (batch) => {
      expect(inside).toBe(false);
      seen.push(...batch);
    });
    inside = false;
    await until(() => seen.length === 2, 'two messages');
    expect(
      seen.map((m) => [
        m.topic,
        m.partition,
        m.offset,
        m.key?.toString() ?? null,
        m.value.toString(),
        m.headers,
      ]),
    ).toEqual([
      [TOPIC, 0, '0', 'k', 'v0', { h: '1' }],
      [TOPIC, 0, '1', null, 'v1', undefined],
    ]);
    await b.close();
  });

  it('keeps per-partition order, puts a key on one partition, and batches by partition', async () => {
    const b = await bus(4, 7);
    const keys = ['AAPL', 'MSFT', 'IBM', 'SAP', 'BMW', 'TSLA'];
    for (let i = 0; i < 100; i++) await b.publish(TOPIC, [msg(keys[i % keys.length], String(i))]);
    const batches: IncomingMessage[][] = [];
    await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async (batch) => void batches.push([...batch]));
    await until(() => batches.flat().length === 100, '100 messages');
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(7);
      expect(new Set(batch.map((m) => m.partition)).size).toBe(1);
    }
    const byKey = new Map<string, { partition: number; values: number[] }>();
    for (const m of batches.flat()) {
      const k = m.key!.toString();
      const entry = byKey.get(k) ?? { partition: m.partition, values: [] };
      expect(m.partition).toBe(entry.partition);
      entry.values.push(Number(m.value.toString()));
      byKey.set(k, entry);
    }
    for (const { values } of byKey.values()) expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(new Set([...byKey.values()].map((e) => e.partition)).size).toBeGreaterThan(1);
    await b.close();
  });

  it('commits a batch only after its handler resolves', async () => {
    const b = await bus(1);
    await b.publish(TOPIC, [msg('a', '1'), msg('a', '2')]);
    let release!: () => void;
    let entered = false;
    await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async () => {
      entered = true;
      await new Promise<void>((r) => (release = r));
    });
    await until(() => entered, 'the handler to start');
    expect(b.committedOffsets('g', TOPIC)).toEqual([0]);
    release();
    await until(() => b.committedOffsets('g', TOPIC)[0] === 2, 'the commit');
    await b.close();
  });

  it('stops a subscription whose handler rejects, without committing, and redelivers to the next subscriber', async () => {
    const b = await bus(1);
    await b.publish(TOPIC, [msg('a', '1'), msg('a', '2')]);
    let calls = 0;
    const first = (await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async () => {
      calls++;
      throw new Error('store down');
    })) as MemorySubscription;
    await until(() => first.failure !== undefined, 'the failure');
    expect((first.failure!.error as Error).message).toBe('store down');
    await b.publish(TOPIC, [msg('a', '3')]);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toBe(1);
    expect(b.committedOffsets('g', TOPIC)).toEqual([0]);
    await first.close();

    const seen: string[] = [];
    await b.subscribe(
      { groupId: 'g', topics: [TOPIC] },
      async (batch) => void seen.push(...batch.map((m) => m.value.toString())),
    );
    await until(() => seen.length === 3, 'redelivery');
    expect(seen).toEqual(['1', '2', '3']);
    await b.close();
  });

  it('reports a stopped subscription through onError', async () => {
    const errors: { error: unknown; where: unknown }[] = [];
    const b = new MemoryBus({ onError: (error, where) => errors.push({ error, where }) });
    await b.connect();
    await b.ensureTopics([{ name: TOPIC, partitions: 1 }]);
    await b.publish(TOPIC, [msg('a', '1')]);
    await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async () => Promise.reject(new Error('boom')));
    await until(() => errors.length === 1, 'onError');
    expect(errors[0].where).toEqual({ groupId: 'g', topic: TOPIC, partition: 0 });
    await b.close();
  });

  it('splits partitions between two subscribers of one group with no double processing', async () => {
    const b = await bus(6, 5);
    const keys = Array.from({ length: 50 }, (_, i) => `K${i}`);
    const seen = [new Map<string, number>(), new Map<string, number>()];
    const partitionsOf = [new Set<number>(), new Set<number>()];
    const handler = (who: 0 | 1) => async (batch: readonly IncomingMessage[]) => {
      for (const m of batch) {
        const id = `${m.partition}/${m.offset}`;
        seen[who].set(id, (seen[who].get(id) ?? 0) + 1);
        partitionsOf[who].add(m.partition);
      }
      await new Promise((r) => setImmediate(r));
    };
    const a = await b.subscribe({ groupId: 'g', topics: [TOPIC] }, handler(0));
    await b.publish(
      TOPIC,
      keys.map((k, i) => msg(k, String(i))),
    );
    const c = await b.subscribe({ groupId: 'g', topics: [TOPIC] }, handler(1));
    for (let r = 0; r < 20; r++)
      await b.publish(
        TOPIC,
        keys.map((k, i) => msg(k, String(i + r))),
      );
    const total = 21 * keys.length;
    await until(() => seen[0].size + seen[1].size === total, 'all messages');
    const both = [...seen[0].keys()].filter((id) => seen[1].has(id));
    expect(both).toEqual([]);
    for (const s of seen) for (const count of s.values()) expect(count).toBe(1);
    expect(partitionsOf[1].size).toBeGreaterThan(0);
    expect(b.committedOffsets('g', TOPIC)).toEqual(b.endOffsets(TOPIC));
    await a.close();
    await c.close();
    await b.close();
  });

  it('exclusive: the first member holds every partition, a later one stands by and takes over when it leaves', async () => {
    const b = await bus(4, 10);
    const seen: string[][] = [[], []];
    const handler = (who: 0 | 1) => async (batch: readonly IncomingMessage[]) =>
      void seen[who].push(...batch.map((m) => m.value.toString()));
    const first = (await b.subscribe(
      { groupId: 'g', topics: [TOPIC], exclusive: true },
      handler(0),
    )) as MemorySubscription;
    const second = (await b.subscribe(
      { groupId: 'g', topics: [TOPIC], exclusive: true },
      handler(1),
    )) as MemorySubscription;
    expect([first.assigned.length, second.assigned.length]).toEqual([4, 0]);
    await b.publish(
      TOPIC,
      Array.from({ length: 40 }, (_, i) => msg(`K${i}`, String(i))),
    );
    await until(() => seen[0].length === 40, 'the first burst');
    await first.close();
    expect(second.assigned.length).toBe(4);
    await b.publish(
      TOPIC,
      Array.from({ length: 8 }, (_, i) => msg(`K${i}`, `late${i}`)),
    );
    await until(() => seen[1].length === 8, 'the second burst');
    expect(seen[1].every((v) => v.startsWith('late'))).toBe(true);
    await second.close();
    await b.close();
  });

  it('tells each member how many partitions it holds after every rebalance (onAssignment)', async () => {
    const b = await bus(3);
    const seen: string[] = [];
    const join = (who: string) =>
      b.subscribe(
        { groupId: 'g', topics: [TOPIC], exclusive: true, onAssignment: (n) => seen.push(`${who}${n}`) },
        async () => undefined,
      );
    const first = await join('a');
    await join('b');
    expect(seen).toEqual(['a3', 'a3', 'b0']);
    await first.close();
    expect(seen.at(-1)).toBe('b3');
    await b.close();
  });

  it('a ledger publisher appends every topic of a publication at once with its sequence; a newer one fences it', async () => {
    const b = await bus(2);
    await b.ensureTopics([{ name: 'markers', partitions: 1 }]);
    const options = { transactionalId: 'scorer', ledgerGroup: 'ledger', ledgerTopic: TOPIC };
    const first = await b.ledgerPublisher(options);
    expect(first.committed).toBe(-1);
    await first.publish(
      [
        { topic: TOPIC, messages: [msg('A', '1'), msg('B', '2')] },
        { topic: 'markers', messages: [msg(null, 'm')] },
      ],
      4,
    );
    await expect(first.publish([{ topic: TOPIC, messages: [msg('A', 'x')] }], 4)).rejects.toMatchObject({
      code: 'BUS_CONFIG',
    });
    // A publication naming an unknown topic appends nothing at all.
    await expect(
      first.publish(
        [
          { topic: TOPIC, messages: [msg('A', 'x')] },
          { topic: 'nope', messages: [msg('A', 'y')] },
        ],
        5,
      ),
    ).rejects.toMatchObject({ code: 'BUS_UNKNOWN_TOPIC' });
    const second = await b.ledgerPublisher(options);
    expect(second.committed).toBe(4);
    await expect(first.publish([{ topic: TOPIC, messages: [msg('A', 'z')] }], 6)).rejects.toMatchObject({
      code: 'BUS_FENCED',
    });
    expect(b.endOffsets(TOPIC).reduce((x, y) => x + y, 0)).toBe(2);
    expect(b.endOffsets('markers')).toEqual([1]);
    await b.close();
  });

  it('never hands a partition in flight to another member when a rebalance moves it', async () => {
    const b = await bus(3, 2);
    await b.publish(
      TOPIC,
      Array.from({ length: 30 }, (_, i) => msg(null, String(i))),
    );
    const counts = new Map<string, number>();
    const record = (batch: readonly IncomingMessage[]) => {
      for (const m of batch)
        counts.set(`${m.partition}/${m.offset}`, (counts.get(`${m.partition}/${m.offset}`) ?? 0) + 1);
    };
    let release!: () => void;
    let aPartition = -1;
    // Joined in this order, round-robin gives P0 to x, P1 to a, P2 to c.
    const x = await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async (batch) => record(batch));
    await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async (batch) => {
      if (aPartition < 0) {
        aPartition = batch[0].partition;
        await new Promise<void>((r) => (release = r));
      }
      record(batch);
    });
    await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async (batch) => record(batch));
    await until(() => aPartition >= 0, 'a to hold a batch');
    expect(aPartition).toBe(1);
    // x leaves: now P0 and P2 go to a, and P1 (still in flight at a) to c.
    await x.close();
    await new Promise((r) => setTimeout(r, 20));
    release();
    await until(() => counts.size === 30, 'all messages');
    expect([...counts.values()].every((c) => c === 1)).toBe(true);
    await b.close();
  });

  it('gives each group its own offsets and honours fromBeginning: false', async () => {
    const b = await bus(1);
    await b.publish(TOPIC, [msg('a', 'old')]);
    const g1: string[] = [];
    const g2: string[] = [];
    await b.subscribe(
      { groupId: 'g1', topics: [TOPIC] },
      async (batch) => void g1.push(...batch.map((m) => m.value.toString())),
    );
    await b.subscribe(
      { groupId: 'g2', topics: [TOPIC], fromBeginning: false },
      async (batch) => void g2.push(...batch.map((m) => m.value.toString())),
    );
    await b.publish(TOPIC, [msg('a', 'new')]);
    await until(() => g1.length === 2 && g2.length === 1, 'both groups');
    expect(g1).toEqual(['old', 'new']);
    expect(g2).toEqual(['new']);
    await b.close();
  });

  it('finishes and commits the batch in flight on close, then delivers nothing more', async () => {
    const b = await bus(1, 2);
    await b.publish(TOPIC, [msg('a', '1'), msg('a', '2'), msg('a', '3')]);
    let release!: () => void;
    const seen: string[] = [];
    const sub = await b.subscribe({ groupId: 'g', topics: [TOPIC] }, async (batch) => {
      await new Promise<void>((r) => (release = r));
      seen.push(...batch.map((m) => m.value.toString()));
    });
    await until(() => release !== undefined, 'the first batch');
    const closing = sub.close();
    release();
    await closing;
    expect(seen).toEqual(['1', '2']);
    expect(b.committedOffsets('g', TOPIC)).toEqual([2]);
    await sub.close();
    await b.close();
    await b.close();
    await expect(b.publish(TOPIC, [msg('a', '4')])).rejects.toThrow(/closed/);
  });

  it('rejects unknown topics, use before connect and bad partition counts with what to do', async () => {
    const b = new MemoryBus();
    await expect(b.publish(TOPIC, [])).rejects.toThrow(/call connect\(\)/);
    await b.connect();
    await expect(b.publish('nope', [msg('a', '1')])).rejects.toThrow(
      /unknown topic "nope"; create it with ensureTopics/,
    );
    await expect(b.subscribe({ groupId: 'g', topics: ['nope'] }, async () => undefined)).rejects.toThrow(
      BusError,
    );
    await expect(b.ensureTopics([{ name: 't', partitions: 0 }])).rejects.toThrow(
      /positive integer partition count, got 0/,
    );
    await b.ensureTopics([{ name: 't', partitions: 2 }]);
    await b.ensureTopics([{ name: 't', partitions: 5 }]);
    expect(b.endOffsets('t')).toEqual([0, 0]);
    await b.close();
  });
});
