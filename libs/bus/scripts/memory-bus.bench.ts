/**
 * Throughput of the in-memory bus: publish 1M keyed messages (16 partitions,
 * batches of 5000 like a replay's dates) and consume them in one group.
 * Run: node libs/codec/scripts/ts-run.js libs/bus/scripts/memory-bus.bench.ts [messages]
 */
import { MemoryBus, type OutgoingMessage } from '../src';

const total = Number(process.argv[3] ?? 1_000_000);
const perBatch = 5000;

async function main(): Promise<void> {
  const bus = new MemoryBus();
  await bus.connect();
  await bus.ensureTopics([{ name: 'bench', partitions: 16 }]);
  const value = Buffer.alloc(84);
  const keys = Array.from({ length: perBatch }, (_, i) => Buffer.from(`I${String(i).padStart(5, '0')}`));
  const batch: OutgoingMessage[] = keys.map((key) => ({ key, value }));
  let seen = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const t0 = process.hrtime.bigint();
  await bus.subscribe({ groupId: 'g', topics: ['bench'] }, async (messages) => {
    seen += messages.length;
    if (seen >= total) resolveDone();
  });
  for (let sent = 0; sent < total; sent += perBatch) await bus.publish('bench', batch);
  const t1 = process.hrtime.bigint();
  await done;
  const t2 = process.hrtime.bigint();
  console.log(
    `${total} messages: publish ${(total / (Number(t1 - t0) / 1e9) / 1e3).toFixed(0)}k/s, ` +
      `publish+consume ${(total / (Number(t2 - t0) / 1e9) / 1e3).toFixed(0)}k/s`,
  );
  await bus.close();
}
void main();
