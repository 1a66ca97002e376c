import { KafkaBus } from '@alphafeed/bus';
import { QuestDbStore, type KeyedColumns, type TableSpec } from '@alphafeed/store';
import { env, unique, until } from './poll';

/**
 * Throughput of the real adapters (numbers for deploy/README.md), and a check
 * that nothing is lost at volume. Heavy, so only with ALPHAFEED_E2E_BENCH=1:
 *   ALPHAFEED_E2E_BENCH=1 npm run test:e2e -- test/infra/adapter-throughput
 */
const bench = process.env.ALPHAFEED_E2E_BENCH === '1' ? describe : describe.skip;

const INSTRUMENTS = 500;
const DATES = 2000; // 1M rows
const COLUMNS = 10;

const SPEC: TableSpec = {
  name: 'e2e_bench_features',
  columns: Array.from({ length: COLUMNS }, (_, j) => ({ name: `f${j}`, kind: 'double' as const })),
  tags: ['config_hash'],
  extraKeys: [],
};

function bigBatch(region: string): KeyedColumns {
  const n = INSTRUMENTS * DATES;
  const date = new Int32Array(n);
  const instrument = new Int32Array(n);
  const columns: Record<string, Float64Array> = {};
  for (const c of SPEC.columns) columns[c.name] = new Float64Array(n);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  for (let d = 0, i = 0; d < DATES; d++) {
    for (let k = 0; k < INSTRUMENTS; k++, i++) {
      date[i] = 15_000 + d;
      instrument[i] = k;
      for (let j = 0; j < COLUMNS; j++) columns[`f${j}`][i] = i % 97 === j ? NaN : rnd();
    }
  }
  const instruments = Array.from({ length: INSTRUMENTS }, (_, k) => `I${String(k).padStart(4, '0')}`);
  return { region, length: n, date, instrument, instruments, columns, tags: { config_hash: 'bench' } };
}

const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')}/s`;

bench('adapter throughput (ALPHAFEED_E2E_BENCH=1)', () => {
  test('QuestDbStore: write, flush and read 1M rows x 10 doubles; /exp CSV vs /exec JSON', async () => {
    const url = env('ALPHAFEED_QUESTDB_URL');
    const store = new QuestDbStore({ url });
    await store.ensureTables([SPEC]);
    const region = unique('bench');
    const rows = bigBatch(region);

    let t = Date.now();
    await store.write(SPEC.name, rows);
    const writeMs = Date.now() - t;
    t = Date.now();
    await store.flush();
    const applyMs = Date.now() - t;

    t = Date.now();
    const back = await store.read(SPEC.name, { region });
    const readMs = Date.now() - t;
    expect(back.length).toBe(rows.length);
    for (let j = 0; j < COLUMNS; j++) {
      const a = rows.columns[`f${j}`];
      const b = back.columns[`f${j}`];
      for (let i = 0; i < rows.length; i++)
        if (!Object.is(a[i], b[i])) throw new Error(`f${j}[${i}]: wrote ${a[i]}, read ${b[i]}`);
    }

    // The same query through the other endpoints, transfer and parse only.
    const sql = `SELECT cast(ts AS LONG) / 86400000000L AS day, instrument, ${SPEC.columns.map((c) => c.name).join(', ')} FROM ${SPEC.name} WHERE region = '${region}' ORDER BY ts, instrument`;
    t = Date.now();
    const csv = await (await fetch(`${url}/exp?query=${encodeURIComponent(sql)}`)).arrayBuffer();
    const csvFetchMs = Date.now() - t;
    t = Date.now();
    const jsonRes = await fetch(`${url}/exec?query=${encodeURIComponent(sql)}`);
    const jsonText = await jsonRes.text();
    const jsonFetchMs = Date.now() - t;
    t = Date.now();
    const parsed = JSON.parse(jsonText) as { count: number; dataset: unknown[][] };
    const jsonParseMs = Date.now() - t;
    expect(parsed.dataset.length).toBe(rows.length);

    process.stdout.write(
      [
        `QuestDbStore, ${rows.length} rows x ${COLUMNS} doubles:`,
        `  write (ILP/HTTP, committed)  ${writeMs} ms  ${rate(rows.length, writeMs)}`,
        `  flush (WAL applied)          ${applyMs} ms`,
        `  write + flush                ${rate(rows.length, writeMs + applyMs)}`,
        `  read (/exp CSV, streamed into typed arrays)  ${readMs} ms  ${rate(rows.length, readMs)}`,
        `  /exp CSV transfer only       ${csvFetchMs} ms (${(csv.byteLength / 1e6).toFixed(0)} MB)`,
        `  /exec JSON transfer + JSON.parse  ${jsonFetchMs} + ${jsonParseMs} ms (${(jsonText.length / 1e6).toFixed(0)} MB, whole body in memory, per-row arrays)`,
        '',
      ].join('\n'),
    );
    await store.close();
  });

  test('KafkaBus: publish and group-consume 100k messages of 200 bytes', async () => {
    const bus = new KafkaBus({
      brokers: env('ALPHAFEED_KAFKA_BROKERS').split(','),
      heartbeatIntervalMs: 1000,
      sessionTimeoutMs: 10_000,
    });
    await bus.connect();
    const topic = unique('bench');
    await bus.ensureTopics([{ name: topic, partitions: 4 }]);
    const n = 100_000;
    const value = Buffer.alloc(200, 7);
    const messages = Array.from({ length: n }, (_, i) => ({ key: Buffer.from(`I${i % 500}`), value }));

    let t = Date.now();
    await bus.publish(topic, messages);
    const publishMs = Date.now() - t;
    // As the replay publishes: calls of 5,000 messages, 16 awaiting their acks at once.
    t = Date.now();
    const calls: Promise<void>[] = [];
    for (let i = 0; i < n; i += 5000) {
      calls.push(bus.publish(topic, messages.slice(i, i + 5000)));
      if (calls.length >= 16) await calls.shift();
    }
    await Promise.all(calls);
    const concurrentMs = Date.now() - t;

    let seen = 0;
    t = Date.now();
    await bus.subscribe({ groupId: unique('g_bench'), topics: [topic] }, async (batch) => {
      seen += batch.length;
    });
    await until(
      'all messages consumed',
      () => seen,
      (s) => s >= 2 * n,
      120_000,
    );
    const consumeMs = Date.now() - t;
    expect(seen).toBe(2 * n);
    process.stdout.write(
      `KafkaBus, ${n} x 200 B, 4 partitions: publish (idempotent, acks=all) ${publishMs} ms ${rate(n, publishMs)}; ` +
        `the same in calls of 5,000 with 16 in flight ${concurrentMs} ms ${rate(n, concurrentMs)}; ` +
        `consume of both incl. group join, commit per batch ${consumeMs} ms ${rate(2 * n, consumeMs)}\n`,
    );
    await bus.close();
  });
});
