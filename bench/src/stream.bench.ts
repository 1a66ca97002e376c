/**
 * `npm run bench -- stream [--instruments N] [--years Y] [--kafka]
 *   [--latency-instruments N] [--latency-years Y] [--live-days D] [--trees T] [--no-latency] [--no-throughput]`
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
 * 3. EOD marker -> last Alpha event latency on a 3,000-instrument region: the
 *    history is replayed through the four services, a model with few trees is
 *    trained and swapped in, then each live date is published alone and the
 *    time from the moment its EOD marker is handed to the bus until the scorer
 *    acknowledged the last Alpha of that date is measured (median over the live
 *    dates). On Kafka + QuestDB with `--kafka`, else embedded.
 * 4. peak RSS of the process.
 *
 * Targets (issue 4): >= 100,000 bars/s replay embedded and on Kafka + QuestDB;
 * EOD -> last alpha < 1 s.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BusPort, OutgoingMessage } from '@alphafeed/bus';
import { KafkaBus } from '@alphafeed/bus';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import type { BarPanel } from '@alphafeed/core';
import { parseIsoDay } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { FeaturesBarsConsumer as FeaturesConsumer } from '../../services/features/src';
import { LabelsBarsConsumer as LabelsConsumer } from '../../services/labels/src';
import { AlphasPublisher, ModelSwapUseCase, ScorerBarsConsumer } from '../../services/scorer/src';
import { TrainUseCase } from '../../services/trainer/src';
import { replayPanel } from '../../services/cli/src/commands/replay.command';
import { startServices } from '../../services/cli/src/commands/serve.command';
import type { RunningServices } from '../../services/cli/src/commands/serve.command';

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
  };
}

export async function run(args: string[]): Promise<void> {
  const o = parseArgs(args);
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
      }
    }
    if (o.latency) {
      // Fresh servers: the throughput run left its services' state (closed dates, write-ahead) in QuestDB under the same region.
      servers?.stop();
      servers = o.kafka ? await startServers() : null;
      summary.push(await latency(o, servers));
    }
  } finally {
    servers?.stop();
  }
  summary.push(`peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
  print('--- summary (targets: replay >= 100,000 bars/s; EOD -> last alpha < 1,000 ms) ---');
  for (const line of summary) print(line);
}

/** Replays `panel` into features + labels and times it until both closed every date. */
async function throughput(config: RegionConfig, panel: BarPanel, label: string): Promise<string> {
  const T = panel.calendar.length;
  const running = await startServices(config, {
    basePort: null,
    only: ['features', 'labels'],
    restatementWindow: T + 1,
  });
  const bus = await busFor(running, config);
  try {
    const features = running.apps.features!.get(FeaturesConsumer).consumer;
    const labels = running.apps.labels!.get(LabelsConsumer).consumer;
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
    await running.close();
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
  const running = await startServices(config, { basePort: null, restatementWindow: calendar.length + 1 });
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
    const publish = alphas.publish.bind(alphas);
    alphas.publish = async (rows) => {
      await publish(rows);
      const now = performance.now();
      for (let i = 0; i < rows.length; i++) scoredAt.set(rows.day[i], now);
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
