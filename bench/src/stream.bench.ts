/**
 * `npm run bench -- stream [--instruments N] [--years Y] [--kafka] [--shared N]
 *   [--latency-instruments N] [--latency-years Y] [--live-days D] [--trees T] [--no-latency] [--no-throughput]
 *   [--per-service [--per-service-instruments N] [--per-service-years Y] [--ilp-writer own|client|both]]`
 *
 * The streaming product measured through the services' own code (the
 * composition root of `serve`, the `replay` command's publisher, as `demo`
 * and the e2e specs run them):
 *
 * 1. replay throughput, embedded (in-memory bus + embedded store): a synthetic
 *    region (default 1,000 instruments x 2 years) replayed into features +
 *    labels; bars/s from the first publish until both services closed the last date;
 * 2. the same through real Kafka + QuestDB with `--kafka` (servers started with
 *    deploy/local/infra-up.sh on free ports in their own run directory, stopped at the end);
 *    with `--shared N` also with N instances of each service in `consumers: shared` mode;
 * 3. EOD marker -> last Alpha event latency on a 3,000-instrument region: the
 *    history is replayed through the four services, a model with few trees is
 *    trained and swapped in, then each live date is published alone and the
 *    time from the moment its EOD marker is handed to the bus until the scorer
 *    acknowledged the last Alpha of that date is measured (median over the live
 *    dates). On Kafka + QuestDB with `--kafka`, else embedded.
 * 4. with `--per-service` (needs `--kafka`): resident memory of each service
 *    run as its own OS process, as a user runs it (`node dist/services/cli/src/main.js
 *    serve --only <service> --config <temp YAML naming the bench's brokers and
 *    QuestDB>`), while a US-scale region (default 3,000 instruments x 3 years)
 *    is replayed until features, labels and scorer closed its last date (their
 *    `/health`). The scorer runs without a model (it advances its features and
 *    scores nothing), the trainer idles (no scheduled run, no POST /train).
 *    RSS from /proc/<pid>/status every 250 ms; VmHWM at the end; CPU seconds of
 *    each service. On fresh servers. `--ilp-writer client|both` runs it with
 *    the QuestDB ingestion through @questdb/nodejs-client (both: own writer,
 *    then the client, each on fresh servers): the end-to-end comparison behind
 *    the choice of ILP writer (deploy/README.md).
 * 5. peak RSS of the bench process.
 *
 * Targets (issue 4): >= 100,000 bars/s replay embedded and on Kafka + QuestDB;
 * EOD -> last alpha < 1 s.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import type { BusPort, OutgoingMessage } from '@alphafeed/bus';
import { KafkaBus } from '@alphafeed/bus';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import type { BarPanel } from '@alphafeed/core';
import { parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { SERVICE_NAMES, replayPanel, startServices } from '@alphafeed/service-cli';
import type { RunningServices } from '@alphafeed/service-cli';
import { FeaturesBarsConsumer as FeaturesConsumer } from '@alphafeed/service-features';
import { LabelsBarsConsumer as LabelsConsumer } from '@alphafeed/service-labels';
import { AlphasPublisher, ModelSwapUseCase, ScorerBarsConsumer } from '@alphafeed/service-scorer';
import { TrainUseCase } from '@alphafeed/service-trainer';
import { ServiceProcess } from '@alphafeed/stream-testing';
import type { HealthBody } from '@alphafeed/stream-testing';

const ROOT = resolve(__dirname, '..', '..', '..');
const PORT_VARS = [
  'ALPHAFEED_KAFKA_PORT',
  'ALPHAFEED_KAFKA_CONTROLLER_PORT',
  'ALPHAFEED_QUESTDB_HTTP_PORT',
  'ALPHAFEED_QUESTDB_PG_PORT',
  'ALPHAFEED_QUESTDB_ILP_PORT',
  'ALPHAFEED_QUESTDB_MIN_HTTP_PORT',
] as const;

interface Servers {
  readonly brokers: string[];
  readonly questdbUrl: string;
  stop(): void;
}

interface Options {
  readonly instruments: number;
  readonly years: number;
  readonly kafka: boolean;
  readonly latency: boolean;
  readonly throughput: boolean;
  readonly latencyInstruments: number;
  readonly latencyYears: number;
  readonly liveDays: number;
  readonly trees: number;
  readonly perService: boolean;
  /** Instances of features and labels with `streaming.consumers: shared` in the Kafka throughput phase; 0 = single. */
  readonly shared: number;
  readonly perServiceInstruments: number;
  readonly perServiceYears: number;
  /** ILP writers of the per-service phase, in order. */
  readonly ilpWriters: ('own' | 'client')[];
}

function parseArgs(args: string[]): Options {
  const value = (name: string, fallback: number): number => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const v = Number(args[i + 1]);
    if (!(v > 0)) throw new RangeError(`stream bench: ${name} needs a positive number; got ${args[i + 1]}`);
    return v;
  };
  return {
    instruments: value('--instruments', 1000),
    years: value('--years', 2),
    kafka: args.includes('--kafka'),
    latency: !args.includes('--no-latency'),
    throughput: !args.includes('--no-throughput'),
    latencyInstruments: value('--latency-instruments', 3000),
    latencyYears: value('--latency-years', 2),
    liveDays: value('--live-days', 5),
    trees: value('--trees', 10),
    perService: args.includes('--per-service'),
    shared: args.includes('--shared') ? value('--shared', 2) : 0,
    perServiceInstruments: value('--per-service-instruments', 3000),
    perServiceYears: value('--per-service-years', 3),
    ilpWriters: ilpWriters(args),
  };
}

function ilpWriters(args: string[]): ('own' | 'client')[] {
  const i = args.indexOf('--ilp-writer');
  const v = i < 0 ? 'own' : args[i + 1];
  if (v === 'both') return ['own', 'client'];
  if (v === 'own' || v === 'client') return [v];
  throw new RangeError(`stream bench: --ilp-writer needs own, client or both; got ${v}`);
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
  if (o.shared > 0 && !o.kafka)
    throw new RangeError(
      'stream bench: --shared needs --kafka (instances in one process on the in-memory bus show nothing)',
    );
  if (o.perService && !o.kafka)
    throw new RangeError(
      'stream bench: --per-service needs --kafka (separate processes share no in-memory bus)',
    );
  const summary: string[] = [];
  let servers: Servers | null = null;
  try {
    if (o.throughput) {
      const panel = generateSyntheticBars({
        region: 'us',
        instruments: o.instruments,
        years: o.years,
        seed: 42,
        startDate: '2015-01-01',
      });
      print(
        `throughput panel: ${panel.instruments.length} instruments x ${panel.calendar.length} dates = ${panel.length} bars`,
      );
      summary.push(await throughput(benchConfig('embedded', null), panel, 'embedded'));
      if (o.kafka) {
        servers = await startServers();
        summary.push(await throughput(benchConfig('kafka', servers), panel, 'kafka+questdb'));
        if (o.shared > 0) {
          const config = overrideConfig(
            benchConfig('kafka_shared', servers),
            { streaming: { consumers: 'shared' } },
            'bench',
          );
          summary.push(
            await throughput(config, panel, `kafka+questdb, consumers: shared x ${o.shared}`, o.shared),
          );
        }
      }
    }
    if (o.latency) {
      // Fresh servers: the throughput run left its services' state (closed dates, write-ahead) in QuestDB under the same region.
      servers?.stop();
      servers = o.kafka ? await startServers() : null;
      summary.push(await latency(o, servers));
    }
    for (const writer of o.perService ? o.ilpWriters : []) {
      // Fresh servers again: per-process memory with no earlier phase's topics or tables around.
      servers?.stop();
      servers = await startServers();
      process.env.ALPHAFEED_QUESTDB_ILP_WRITER = writer; // the service processes inherit it
      summary.push(...(await perService(o, servers, writer)));
    }
  } finally {
    servers?.stop();
  }
  summary.push(`peak RSS of the bench process ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  print('--- summary (targets: replay >= 100,000 bars/s; EOD -> last alpha < 1,000 ms) ---');
  for (const line of summary) print(line);
}

/**
 * Replays `panel` into features + labels and times it until both closed every
 * date. `instances` > 1 starts that many of each (as separate connections, in
 * this process), for `consumers: shared`.
 */
async function throughput(
  config: RegionConfig,
  panel: BarPanel,
  label: string,
  instances = 1,
): Promise<string> {
  const T = panel.calendar.length;
  const all: RunningServices[] = [];
  for (let i = 0; i < instances; i++)
    all.push(await startServices(config, { basePort: null, only: ['features', 'labels'] }));
  const running = all[0];
  const bus = await busFor(running, config);
  try {
    const datesOf = (consumers: { datesProcessed: number }[]) => ({
      get datesProcessed() {
        return Math.max(...consumers.map((c) => c.datesProcessed));
      },
    });
    const features = datesOf(all.map((r) => r.apps.features!.get(FeaturesConsumer).consumer));
    const labels = datesOf(all.map((r) => r.apps.labels!.get(LabelsConsumer).consumer));
    const cpu = process.cpuUsage();
    const t0 = Date.now();
    const r = await replayPanel(bus.bus, config, panel, { quiet: true });
    const published = Date.now() - t0;
    await until(
      () => features.datesProcessed >= T && labels.datesProcessed >= T,
      `${label}: features + labels to close ${T} dates`,
    );
    const closed = Date.now() - t0;
    const used = process.cpuUsage(cpu);
    const line =
      `${label}: replay published ${r.bars} bars in ${published} ms (${rate(r.bars, published)} bars/s); ` +
      `features + labels closed every date after ${closed} ms: ${rate(r.bars, closed)} bars/s end to end ` +
      `(cpu ${((used.user + used.system) / 1e6).toFixed(1)} s in this process)`;
    print(line);
    return line;
  } finally {
    await bus.close();
    for (const r of all) await r.close();
  }
}

/** EOD marker -> last Alpha of that date, on a `latencyInstruments` region after one training run. */
async function latency(o: Options, servers: Servers | null): Promise<string> {
  const label = servers === null ? 'embedded' : 'kafka+questdb';
  const panel = generateSyntheticBars({
    region: 'us',
    instruments: o.latencyInstruments,
    years: o.latencyYears,
    seed: 7,
    startDate: '2015-01-01',
  });
  const calendar = panel.calendar;
  const liveDays = Math.min(o.liveDays, calendar.length - 1);
  const history = calendar.length - liveDays;
  print(
    `latency panel: ${panel.instruments.length} instruments x ${calendar.length} dates = ${panel.length} bars; ${liveDays} live dates`,
  );
  const config = overrideConfig(
    benchConfig('latency', servers),
    { models: { xgboost: { n_estimators: o.trees } }, cv: { n_splits: 2 } },
    'bench',
  );
  const running = await startServices(config, { basePort: null });
  const bus = await busFor(running, config);
  try {
    const apps = running.apps;
    const features = apps.features!.get(FeaturesConsumer).consumer;
    const labels = apps.labels!.get(LabelsConsumer).consumer;
    const scorer = apps.scorer!.get(ScorerBarsConsumer).consumer;
    const swap = apps.scorer!.get(ModelSwapUseCase);
    const alphas = apps.scorer!.get(AlphasPublisher);

    let t = Date.now();
    const r = await replayPanel(bus.bus, config, panel, { to: calendar[history - 1], quiet: true });
    await until(
      () =>
        features.datesProcessed >= history &&
        labels.datesProcessed >= history &&
        scorer.datesProcessed >= history,
      'the history to close',
    );
    print(
      `${label}: history of ${r.bars} bars closed by features + labels + scorer in ${Date.now() - t} ms (${rate(r.bars, Date.now() - t)} bars/s)`,
    );
    t = Date.now();
    const trained = await apps.trainer!.get(TrainUseCase).run('bench');
    const trainMs = Date.now() - t;
    await until(() => swap.completed === trained.modelVersion, 'the scorer to swap the model in');
    print(
      `${label}: model ${trained.modelVersion} (${o.trees} trees) trained in ${trainMs} ms; swapped in and history scored after ${Date.now() - t} ms (${alphas.count} alphas)`,
    );

    // The marker's moment: when replayBars hands the EOD marker of the date to the bus.
    const eodTopic = config.streaming.kafka.topics.eod;
    let markerAt = 0;
    const timed: BusPort = Object.create(bus.bus) as BusPort;
    timed.publish = (topic: string, messages: readonly OutgoingMessage[]) => {
      if (topic === eodTopic) markerAt = performance.now();
      return bus.bus.publish(topic, messages);
    };
    // The last alpha's moment: when the publisher's store write and broker acknowledgement of a date's alphas resolved.
    const scoredAt = new Map<number, number>();
    alphas.onPublished = (days) => {
      const now = performance.now();
      for (const d of days) scoredAt.set(d, now);
    };
    const latencies: number[] = [];
    for (let k = 0; k < liveDays; k++) {
      const day = calendar[history + k];
      const dayNumber = parseIsoDay(day);
      const before = alphas.count;
      await replayPanel(timed, config, panel, { from: day, to: day, quiet: true });
      await until(
        () => scorer.datesProcessed >= history + k + 1 && scoredAt.has(dayNumber),
        `live date ${day} to be scored`,
        120_000,
        1,
      );
      const ms = scoredAt.get(dayNumber)! - markerAt;
      latencies.push(ms);
      print(
        `${label}: live ${day}: ${alphas.count - before} alphas; EOD marker -> last alpha acknowledged ${ms.toFixed(0)} ms`,
      );
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = sorted.length === 0 ? NaN : sorted[Math.floor((sorted.length - 1) / 2)];
    const line = `${label}: EOD marker -> last alpha, ${o.latencyInstruments} instruments: median ${median.toFixed(0)} ms over ${sorted.length} live dates (max ${(sorted[sorted.length - 1] ?? NaN).toFixed(0)} ms)`;
    print(line);
    return line;
  } finally {
    await bus.close();
    await running.close();
  }
}

/** The services that close dates (their /health component, named after them, has `dates_processed`); the trainer only idles. */
const DATE_SERVICES = ['features', 'labels', 'scorer'] as const;

/**
 * Each service in its own `serve --only <name>` process on the bench's Kafka +
 * QuestDB; a US-scale region replayed from this process; RSS of every child
 * sampled until features, labels and scorer closed the last date.
 */
async function perService(o: Options, servers: Servers, writer: 'own' | 'client'): Promise<string[]> {
  const panel = generateSyntheticBars({
    region: 'us',
    instruments: o.perServiceInstruments,
    years: o.perServiceYears,
    seed: 11,
    startDate: '2015-01-01',
  });
  const T = panel.calendar.length;
  const lastDate = panel.calendar[T - 1];
  const shape = `${panel.instruments.length} instruments x ${T} dates = ${panel.length} bars`;
  print(
    `per-service panel: ${shape}; QuestDB ingestion: ${writer === 'own' ? 'own ILP writer' : '@questdb/nodejs-client'}`,
  );
  const config = benchConfig('per_service', servers);
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-bench-procs-'));
  const configPath = join(dir, 'us.yaml');
  writeFileSync(configPath, `# written by the stream bench (--per-service)\n${stringify(config)}`);
  loadConfig(configPath); // the file the services read must validate as a user's would
  const ports = await freePorts(SERVICE_NAMES.length);
  const procs: ServiceProcess[] = [];
  let sampler: NodeJS.Timeout | undefined;
  let bus: KafkaBus | null = null;
  let failed = true;
  try {
    SERVICE_NAMES.forEach((name, i) =>
      procs.push(
        new ServiceProcess({
          root: ROOT,
          name,
          configPath,
          port: ports[i],
          logDir: dir,
        }),
      ),
    );
    const t0 = Date.now();
    await untilHealthy(procs, (p, h) => h.components[p.name] !== undefined, 'start-up', 180_000);
    print(
      `per-service: ${procs.map((p) => `${p.name} pid ${p.pid}`).join(', ')} up and consuming after ${Date.now() - t0} ms; logs in ${dir}`,
    );
    for (const p of procs) p.sample();
    sampler = setInterval(() => procs.forEach((p) => p.sample()), 250);

    bus = new KafkaBus({ brokers: servers.brokers, clientId: `${config.streaming.kafka.client_id}-replay` });
    await bus.connect();
    const t = Date.now();
    const r = await replayPanel(bus, config, panel, { quiet: true });
    const published = Date.now() - t;
    print(
      `per-service: replay published ${r.bars} bars in ${published} ms (${rate(r.bars, published)} bars/s)`,
    );
    let reported = Date.now();
    await untilHealthy(
      procs,
      (p, h) => {
        if (!(DATE_SERVICES as readonly string[]).includes(p.name)) return true;
        const c = h.components[p.name];
        return c !== undefined && Number(c.dates_processed) >= T && c.last_date === lastDate;
      },
      `features, labels and scorer to close ${lastDate}`,
      1_800_000,
      (bodies) => {
        if (Date.now() - reported < 20_000) return;
        reported = Date.now();
        const progress = DATE_SERVICES.map(
          (n) => `${n} ${String(bodies.get(n)?.components[n]?.dates_processed ?? '?')}/${T}`,
        );
        const rss = procs.map((p) => `${p.name} ${mb(p.memory.lastKb)} MB`);
        print(
          `per-service: ${Math.round((Date.now() - t) / 1000)} s: ${progress.join(', ')} dates; RSS ${rss.join(', ')}`,
        );
      },
    );
    const closed = Date.now() - t;
    clearInterval(sampler);
    for (const p of procs) p.sample();
    const held = await Promise.all(procs.map((p) => p.health()));
    print(
      `per-service: features + labels + scorer closed every date ${closed} ms after the first publish (${rate(r.bars, closed)} bars/s end to end)`,
    );
    const model = held[SERVICE_NAMES.indexOf('scorer')]?.components.model;
    const trainer = held[SERVICE_NAMES.indexOf('trainer')]?.components.trainer;
    print(
      `per-service: scorer model ${String(model?.model_version ?? 'none')}, ${String(model?.alphas_published ?? '?')} alphas; ` +
        `trainer busy ${String(trainer?.busy)}, last run ${JSON.stringify(trainer?.last_run ?? null)}`,
    );
    const stops = await Promise.all(procs.map((p) => p.stop()));
    print(`per-service: stopped with SIGTERM: ${procs.map((p, i) => `${p.name} ${stops[i]}`).join(', ')}`);
    const lines = memoryTable(procs);
    for (const line of lines) print(line);
    for (const p of procs) {
      const { count, first } = p.logProblems();
      if (count > 0)
        print(`per-service: ${p.name} logged ${count} warnings/errors, first:\n  ${first.join('\n  ')}`);
    }
    failed = false;
    return [
      `per-service (kafka+questdb, ILP writer ${writer}, ${shape}, closed in ${closed} ms, ${rate(r.bars, closed)} bars/s end to end): ` +
        procs
          .map(
            (p) =>
              `${p.name} cpu ${p.memory.cpuS.toFixed(1)} s, peak ${mb(p.memory.hwmKb)} MB / end ${mb(p.memory.lastKb)} MB`,
          )
          .join('; '),
    ];
  } finally {
    clearInterval(sampler);
    await bus?.close().catch(() => undefined);
    for (const p of procs) {
      if (!p.running) continue;
      const how = await p.stop();
      if (failed) print(`per-service: ${p.name} (pid ${p.pid}) ${how}; log tail:\n${p.logTail()}`);
    }
    if (failed) print(`per-service: config and service logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls every process's `/health` until `done` holds for all; fails when one exits or reports a stopped component. */
async function untilHealthy(
  procs: readonly ServiceProcess[],
  done: (p: ServiceProcess, health: HealthBody) => boolean,
  what: string,
  timeoutMs: number,
  onPoll?: (bodies: Map<string, HealthBody>) => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const bodies = new Map<string, HealthBody>();
    let all = true;
    for (const p of procs) {
      if (!p.running)
        throw new Error(
          `stream bench: ${p.name} (pid ${p.pid}) ${p.describeExit()} while waiting for ${what}; log tail:\n${p.logTail()}`,
        );
      const h = await p.health();
      if (h === null) {
        all = false;
        continue;
      }
      if (!h.ok)
        throw new Error(
          `stream bench: ${p.name} reports a stopped component on /health: ${JSON.stringify(h.components)}`,
        );
      bodies.set(p.name, h);
      all &&= done(p, h);
    }
    onPoll?.(bodies);
    if (all) return;
    if (Date.now() > deadline)
      throw new Error(`stream bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

function memoryTable(procs: readonly ServiceProcess[]): string[] {
  const head = [
    'service',
    'pid',
    'RSS ready',
    'peak RSS (VmHWM)',
    'peak sampled',
    'RSS at end',
    'CPU s',
    'samples',
  ];
  const rows = procs.map((p) => {
    const m = p.memory;
    return [
      p.name,
      String(p.pid),
      `${mb(m.startKb)} MB`,
      `${mb(m.hwmKb)} MB`,
      `${mb(m.peakSampledKb)} MB`,
      `${mb(m.lastKb)} MB`,
      m.cpuS.toFixed(1),
      String(m.samples),
    ];
  });
  const sum = (f: (p: ServiceProcess) => number): string => `${mb(procs.reduce((s, p) => s + f(p), 0))} MB`;
  rows.push([
    'all four',
    '',
    sum((p) => p.memory.startKb),
    sum((p) => p.memory.hwmKb),
    '',
    sum((p) => p.memory.lastKb),
    procs.reduce((s, p) => s + p.memory.cpuS, 0).toFixed(1),
    '',
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]): string =>
    cells.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join('  ');
  return [line(head), ...rows.map(line), '(all four: sum of the per-process peaks, which need not coincide)'];
}

function mb(kb: number): number {
  return Math.round(kb / 1024);
}

/** The services' shared bus in embedded mode; in Kafka mode a producer of the bench's own (as the `replay` command has). */
async function busFor(
  running: RunningServices,
  config: RegionConfig,
): Promise<{ bus: BusPort; close(): Promise<void> }> {
  if (running.backends !== null) return { bus: running.backends.bus, close: async () => undefined };
  const bus = new KafkaBus({
    brokers: config.streaming.kafka.brokers,
    clientId: `${config.streaming.kafka.client_id}-replay`,
  });
  await bus.connect();
  return { bus, close: () => bus.close() };
}

let runs = 0;
function benchConfig(name: string, servers: Servers | null): RegionConfig {
  const id = `bench_${name}_${process.pid}_${runs++}`;
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-bench-'));
  return overrideConfig(
    loadConfig(join(ROOT, 'config', 'us.yaml')),
    {
      data: { source: 'synthetic' },
      models: { xgboost: { nthread: 2 } },
      output: { models_dir: join(dir, 'models'), data_dir: join(dir, 'data') },
      streaming: {
        kafka: {
          brokers: servers?.brokers ?? [],
          group_prefix: id,
          client_id: id,
          topics: {
            bars: `${id}.bars.daily.v1`,
            eod: `${id}.bars.eod.v1`,
            alphas: `${id}.alphas.daily.v1`,
            models: `${id}.models.v1`,
          },
        },
        questdb: { http_url: servers?.questdbUrl ?? null },
        embedded: { store_path: join(dir, 'store.log') },
      },
    },
    'bench',
  );
}

async function startServers(): Promise<Servers> {
  const ports = await freePorts(PORT_VARS.length);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ALPHAFEED_INFRA_RUN_DIR: join(ROOT, '.infra', `bench-${process.pid}`),
  };
  PORT_VARS.forEach((name, i) => (env[name] = String(ports[i])));
  const started = Date.now();
  script('infra-up.sh', env);
  print(`kafka + questdb up in ${Date.now() - started} ms (run dir ${env.ALPHAFEED_INFRA_RUN_DIR})`);
  let stopped = false;
  return {
    brokers: [`127.0.0.1:${env.ALPHAFEED_KAFKA_PORT}`],
    questdbUrl: `http://127.0.0.1:${env.ALPHAFEED_QUESTDB_HTTP_PORT}`,
    stop: () => {
      if (stopped) return;
      stopped = true;
      script('infra-down.sh', env);
      rmSync(env.ALPHAFEED_INFRA_RUN_DIR!, { recursive: true, force: true });
    },
  };
}

function script(name: string, env: NodeJS.ProcessEnv): void {
  const res = spawnSync('bash', [join(ROOT, 'deploy', 'local', name)], { cwd: ROOT, env, stdio: 'inherit' });
  if (res.status !== 0)
    throw new Error(
      `deploy/local/${name} failed (exit ${res.status ?? res.signal}); logs in ${env.ALPHAFEED_INFRA_RUN_DIR}`,
    );
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((res, rej) => {
          const s = createServer();
          s.once('error', rej);
          s.listen(0, '127.0.0.1', () => res(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

async function until(
  predicate: () => boolean,
  what: string,
  timeoutMs = 1_800_000,
  pollMs = 10,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline)
      throw new Error(`stream bench: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

function rate(bars: number, ms: number): number {
  return Math.round(bars / (Math.max(ms, 1) / 1000));
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
