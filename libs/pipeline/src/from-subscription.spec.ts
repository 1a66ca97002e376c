import { Subscription as RxSubscription } from 'rxjs';
import { MemoryBus } from '@alphafeed/bus';
import type { BusPort, Subscription } from '@alphafeed/bus';
import { Checkpoint } from './checkpoint';
import { PipelineError } from './errors';
import { fromSubscription, unbatch, type MessageBatch } from './from-subscription';
import { recordingLogger } from './fixtures.testing';

const TOPIC = 'bars.daily.v1';

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** Lets the bus run a few event-loop turns, to show that nothing more happens. */
const settle = () => new Promise((r) => setTimeout(r, 20));

async function newBus(failures: unknown[] = []): Promise<MemoryBus> {
  const bus = new MemoryBus({ maxBatchSize: 2, onError: (error) => failures.push(error) });
  await bus.connect();
  await bus.ensureTopics([{ name: TOPIC, partitions: 1 }]);
  return bus;
}

const publishN = (bus: BusPort, n: number) =>
  bus.publish(
    TOPIC,
    Array.from({ length: n }, (_, i) => ({ key: Buffer.from('K'), value: Buffer.from(String(i)) })),
  );

describe('fromSubscription (on MemoryBus)', () => {
  let subscription: RxSubscription | undefined;
  afterEach(() => subscription?.unsubscribe());

  it('emits nothing and does not complete while the topic is empty', async () => {
    const bus = await newBus();
    const events: string[] = [];
    subscription = fromSubscription(bus, { groupId: 'g', topics: [TOPIC] }).subscribe({
      next: () => events.push('next'),
      complete: () => events.push('complete'),
    });
    await settle();
    expect(events).toEqual([]);
  });

  it('hands over the next batch only after the previous one is acknowledged, and commits after the ack', async () => {
    const bus = await newBus();
    await publishN(bus, 5);
    const batches: MessageBatch[] = [];
    subscription = fromSubscription(bus, { groupId: 'g', topics: [TOPIC] }).subscribe((b) => batches.push(b));
    await waitFor(() => batches.length === 1, 'the first batch');
    expect(batches[0].messages.map((m) => m.value.toString())).toEqual(['0', '1']);
    await settle();
    expect(batches).toHaveLength(1);
    expect(bus.committedOffsets('g', TOPIC)).toEqual([0]);
    batches[0].ack();
    batches[0].ack(); // idempotent
    await waitFor(() => batches.length === 2, 'the second batch');
    expect(bus.committedOffsets('g', TOPIC)).toEqual([2]);
    batches[1].ack();
    await waitFor(() => batches.length === 3, 'the third batch');
    batches[2].ack();
    await waitFor(() => bus.committedOffsets('g', TOPIC)[0] === 5, 'the last commit');
    expect(batches.flatMap((b) => b.messages.map((m) => m.value.toString()))).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
    ]);
  });

  it('on unsubscribe rejects the unacknowledged batch (nothing committed) and closes the bus subscription; the batch comes again', async () => {
    const failures: unknown[] = [];
    const bus = await newBus(failures);
    await publishN(bus, 3);
    const batches: MessageBatch[] = [];
    const closes: Subscription[] = [];
    const subscribe = bus.subscribe.bind(bus);
    jest.spyOn(bus, 'subscribe').mockImplementation(async (options, handler) => {
      const sub = await subscribe(options, handler);
      const close = sub.close.bind(sub);
      jest.spyOn(sub, 'close').mockImplementation(() => (closes.push(sub), close()));
      return sub;
    });
    const first = fromSubscription(bus, { groupId: 'g', topics: [TOPIC] }).subscribe((b) => batches.push(b));
    await waitFor(() => batches.length === 1, 'the first batch');
    first.unsubscribe();
    await waitFor(() => failures.length === 1, 'the rejected handler');
    expect(failures[0]).toBeInstanceOf(PipelineError);
    expect((failures[0] as PipelineError).code).toBe('UNSUBSCRIBED');
    expect(closes).toHaveLength(1);
    batches[0].ack(); // too late: a no-op
    expect(bus.committedOffsets('g', TOPIC)).toEqual([0]);

    const again: MessageBatch[] = [];
    subscription = fromSubscription(bus, { groupId: 'g', topics: [TOPIC] }).subscribe((b) => again.push(b));
    await waitFor(() => again.length === 1, 'the redelivered batch');
    expect(again[0].messages.map((m) => m.offset)).toEqual(['0', '1']);
  });

  it('stops gracefully on abort: the batch in flight finishes and commits, then the stream completes', async () => {
    const failures: unknown[] = [];
    const bus = await newBus(failures);
    await publishN(bus, 5);
    const controller = new AbortController();
    const batches: MessageBatch[] = [];
    let completed = false;
    subscription = fromSubscription(bus, {
      groupId: 'g',
      topics: [TOPIC],
      signal: controller.signal,
    }).subscribe({
      next: (b) => batches.push(b),
      complete: () => (completed = true),
    });
    await waitFor(() => batches.length === 1, 'the first batch');
    controller.abort();
    await settle();
    expect(completed).toBe(false); // waits for the batch in flight
    batches[0].ack();
    await waitFor(() => completed, 'completion');
    expect(bus.committedOffsets('g', TOPIC)).toEqual([2]);
    expect(batches).toHaveLength(1);
    expect(failures).toEqual([]);
  });

  it('completes at once when aborted before anything arrived', async () => {
    const bus = await newBus();
    const controller = new AbortController();
    controller.abort();
    let completed = false;
    subscription = fromSubscription(bus, {
      groupId: 'g',
      topics: [TOPIC],
      signal: controller.signal,
    }).subscribe({ complete: () => (completed = true) });
    await waitFor(() => completed, 'completion');
    await publishN(bus, 1);
    await settle();
    expect(bus.committedOffsets('g', TOPIC)).toEqual([0]);
  });

  it('closes a bus subscription that resolves after the unsubscribe', async () => {
    let resolveSubscribe!: (s: Subscription) => void;
    const close = jest.fn(async () => undefined);
    const bus = {
      subscribe: () => new Promise<Subscription>((r) => (resolveSubscribe = r)),
    } as unknown as BusPort;
    fromSubscription(bus, { groupId: 'g', topics: [TOPIC] })
      .subscribe()
      .unsubscribe();
    resolveSubscribe({ close });
    await settle();
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('reports a failing close through the logger instead of throwing', async () => {
    const logger = recordingLogger();
    const bus = {
      subscribe: async () => ({ close: () => Promise.reject(new Error('broker gone')) }),
    } as unknown as BusPort;
    const sub = fromSubscription(bus, { groupId: 'g', topics: [TOPIC], logger }).subscribe();
    await settle();
    sub.unsubscribe();
    await settle();
    expect(logger.warnings).toEqual(['fromSubscription: closing the bus subscription failed']);
  });

  it('errors when the bus refuses the subscription', async () => {
    const bus = new MemoryBus(); // not connected
    const error = await new Promise<unknown>((resolve) =>
      fromSubscription(bus, { groupId: 'g', topics: [TOPIC] }).subscribe({ error: resolve }),
    );
    expect((error as { code: string }).code).toBe('BUS_NOT_CONNECTED');
  });
});

describe('unbatch', () => {
  it('emits the messages then a checkpoint that acknowledges the batch', async () => {
    const bus = await newBus();
    await publishN(bus, 2);
    const out: unknown[] = [];
    subscriptionDone(
      fromSubscription(bus, { groupId: 'g', topics: [TOPIC] })
        .pipe(unbatch())
        .subscribe((x) => out.push(x)),
    );
    await waitFor(() => out.length === 3, 'messages and checkpoint');
    expect(out.slice(0, 2).map((m) => (m as { offset: string }).offset)).toEqual(['0', '1']);
    const cp = out[2] as Checkpoint;
    expect(cp).toBeInstanceOf(Checkpoint);
    expect(bus.committedOffsets('g', TOPIC)).toEqual([0]);
    cp.ack();
    await waitFor(() => bus.committedOffsets('g', TOPIC)[0] === 2, 'the commit');
  });
});

const opened: RxSubscription[] = [];
function subscriptionDone(s: RxSubscription): void {
  opened.push(s);
}
afterAll(() => opened.forEach((s) => s.unsubscribe()));
