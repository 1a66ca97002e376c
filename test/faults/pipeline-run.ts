/**
 * One replay of the fault suite's region through the four services, each its
 * own OS process (`alphafeed serve --only <service>`, as an operator runs
 * them) on the secured Kafka + QuestDB: its own topics and consumer groups,
 * the region's QuestDB tables dropped first. The driver replays dates,
 * trains through `POST /train` (bearer token), publishes corrections, kills
 * and restarts processes, and reads back every table and the alpha topic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { KafkaBus } from '@alphafeed/bus';
import type { IncomingMessage } from '@alphafeed/bus';
import type { BarEvent, EventCodecs } from '@alphafeed/codec';
import { loadConfig, resolveSecrets } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import type { BarPanel } from '@alphafeed/core';
import { parseIsoDay } from '@alphafeed/core';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import { consumerGroup, ensureStreamingTopics, kafkaBusOptions } from '@alphafeed/streaming';
import { ServiceProcess } from '@alphafeed/stream-testing';
import { freePorts, ROOT } from '../infra/servers';
import type { SecuredInfra } from '../infra/secured-infra';
import { probeHealth } from './health.adapter';
import { dropPipelineTables, exec, readStoreSnapshot } from './store-snapshot';
import type { QuestDbAccess, StoreSnapshot } from './store-snapshot';

export const SERVICES = ['features', 'labels', 'trainer', 'scorer'] as const;
export type Service = (typeof SERVICES)[number];
/** The services that consume bars and record closed dates. */
export const BAR_SERVICES = ['features', 'labels', 'scorer'] as const;

/** The region every run replays (small, but long enough for 21d/63d labels, an embargoed CV and restatements). */
export const REGION = {
  instruments: 40,
  years: 2,
  /** The first this many dates of the generated two years are replayed. */
  dates: 390,
  seed: 7,
  startDate: '2015-01-01',
  // Look-backs up to 60 bars, so feature rows start early enough for a two-split CV on two years.
  features: ['rev_1m', 'ma_gap_20', 'ma_gap_50', 'rsi_14', 'vol_20', 'vol_60', 'vlm_ratio_5_20', 'amihud_20'],
} as const;

export interface SuiteContext {
  readonly infra: SecuredInfra;
  readonly db: QuestDbAccess;
  readonly panel: BarPanel;
  readonly codecs: EventCodecs;
  /** Logs, configs and artifacts of every run. */
  readonly workDir: string;
}

export interface RunOptions {
  readonly name: string;
  readonly partitions: number;
  readonly eodTimeoutMs?: number;
}

export interface RunSnapshot {
  readonly store: StoreSnapshot;
  /** `date|instrument|model_version|revision` → values (`DUPLICATE` marks a key published more than once). */
  readonly alphaEvents: Map<string, string>;
  readonly alphaEventCount: number;
}

/** Per service: what was done to it, for the suite's matrix. */
export interface FaultTally {
  kills: number;
  faultPointHits: number;
  faultPointsArmed: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class PipelineRun {
  readonly id: string;
  readonly dir: string;
  readonly configPath: string;
  readonly config: RegionConfig;
  readonly tally = new Map<Service, FaultTally>(
    SERVICES.map((s) => [s, { kills: 0, faultPointHits: 0, faultPointsArmed: 0 }]),
  );
  readonly notes: string[] = [];
  /** Wall time of each phase of the flow. */
  readonly timings: string[] = [];
  private readonly instances = new Map<Service, (ServiceProcess | null)[]>();
  private readonly ports = new Map<string, number>();
  private readonly watchers: Promise<void>[] = [];
  private stopping = false;
  /** Processes this driver killed itself (a fault-point watcher must not count or restart them). */
  private readonly killedByDriver = new Set<ServiceProcess>();
  private readonly armedProcs = new Set<ServiceProcess>();

  private constructor(
    readonly ctx: SuiteContext,
    readonly options: RunOptions,
    readonly bus: KafkaBus,
    id: string,
    dir: string,
    configPath: string,
    config: RegionConfig,
  ) {
    this.id = id;
    this.dir = dir;
    this.configPath = configPath;
    this.config = config;
  }

  get calendar(): readonly string[] {
    return this.ctx.panel.calendar;
  }

  static async create(ctx: SuiteContext, options: RunOptions): Promise<PipelineRun> {
    const id = `${options.name}-${Date.now().toString(36)}`;
    const dir = path.join(ctx.workDir, id);
    mkdirSync(dir, { recursive: true });
    const { infra } = ctx;
    const yaml = {
      region: 'us',
      data: {
        source: 'synthetic',
        synthetic: {
          instruments: REGION.instruments,
          years: REGION.years,
          start_date: REGION.startDate,
          seed: REGION.seed,
        },
      },
      features: { names: [...REGION.features] },
      cv: { n_splits: 2, min_fold_samples: 50 },
      models: { xgboost: { n_estimators: 10, nthread: 1 } },
      output: { models_dir: path.join(dir, 'models'), data_dir: path.join(dir, 'data') },
      streaming: {
        kafka: {
          brokers: infra.brokers,
          client_id: id,
          group_prefix: id,
          partitions: options.partitions,
          // A killed member is evicted after 8 s instead of 30 (restarts and takeovers wait for it).
          session_timeout_ms: 8000,
          topics: {
            bars: `${id}.bars.daily.v1`,
            eod: `${id}.bars.eod.v1`,
            alphas: `${id}.alphas.daily.v1`,
            models: `${id}.models.v1`,
          },
        },
        questdb: { http_url: infra.questdbUrl },
        eod_timeout_ms: options.eodTimeoutMs ?? 30_000,
        embedded: { store_path: path.join(dir, 'unused.store') },
        security: {
          kafka: { protocol: 'sasl_ssl', sasl_username: infra.kafkaUser, ca_file: infra.caFile },
          questdb: { username: infra.questdbUser },
        },
      },
      log_level: 'info',
    };
    const configPath = path.join(dir, 'config.yaml');
    writeFileSync(configPath, stringify(yaml));
    const config = loadConfig(configPath);
    await dropPipelineTables(ctx.db);
    const bus = new KafkaBus(
      kafkaBusOptions(config, `${id}-driver`, resolveSecrets(config, secretEnv(infra))),
    );
    await bus.connect();
    await ensureStreamingTopics(bus, config);
    return new PipelineRun(ctx, options, bus, id, dir, configPath, config);
  }

  // ---- processes ------------------------------------------------------------------

  /** Starts instance `k` of a service (0 = the first, others are extra members of its group) and waits until it answers HTTP. */
  async start(service: Service, k = 0, env: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const key = `${service}#${k}`;
    let port = this.ports.get(key);
    if (port === undefined) {
      [port] = await freePorts(1);
      this.ports.set(key, port);
    }
    const proc = new ServiceProcess({
      root: ROOT,
      name: service,
      configPath: this.configPath,
      port,
      logDir: this.dir,
      logName: `${service}-${k}.log`,
      env: { ...secretEnv(this.ctx.infra), ALPHAFEED_FAULT_POINT: '', ...env },
    });
    const list = this.instances.get(service) ?? [];
    list[k] = proc;
    this.instances.set(service, list);
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (!proc.running) {
        // A fault point may already have fired during start-up (resume); the watcher restarts it.
        if (env.ALPHAFEED_FAULT_POINT) return proc;
        // The driver killed it on purpose before it answered (a watcher's restart racing a scheduled kill).
        if (this.killedByDriver.has(proc)) return proc;
        throw new Error(
          `${service}#${k} exited during start-up (${proc.describeExit()}):\n${proc.logTail(30)}`,
        );
      }
      if ((await probeHealth(port)).live !== null) return proc;
      if (Date.now() > deadline)
        throw new Error(`${service}#${k} did not answer HTTP within 90 s:\n${proc.logTail(30)}`);
      await sleep(100);
    }
  }

  async startAll(): Promise<void> {
    await Promise.all(SERVICES.map((s) => this.start(s)));
  }

  port(service: Service, k = 0): number {
    return this.ports.get(`${service}#${k}`) as number;
  }

  proc(service: Service, k = 0): ServiceProcess | null {
    return this.instances.get(service)?.[k] ?? null;
  }

  /** `kill -9` of instance k, then (unless `restart` is false) a fresh process in its place. */
  async kill(service: Service, k = 0, restart = true): Promise<void> {
    const proc = this.proc(service, k);
    if (proc === null || !proc.running) return;
    this.killedByDriver.add(proc);
    await proc.kill();
    this.tally.get(service)!.kills++;
    this.notes.push(`kill -9 ${service}#${k}`);
    if (restart) await this.start(service, k);
  }

  /**
   * Kills instance k and restarts it with ALPHAFEED_FAULT_POINT=archive-written:<n>: it
   * dies by itself (SIGKILL) right after its n-th write-ahead archive write, before
   * that batch's commit. A watcher restarts it normally then.
   */
  async armArchiveFaultPoint(service: Service, n: number, k = 0): Promise<void> {
    await this.kill(service, k, false);
    this.tally.get(service)!.faultPointsArmed++;
    const proc = await this.start(service, k, { ALPHAFEED_FAULT_POINT: `archive-written:${n}` });
    this.armedProcs.add(proc);
    this.watchers.push(
      proc.whenExited.then(async () => {
        this.armedProcs.delete(proc);
        if (this.stopping || this.killedByDriver.has(proc)) return;
        this.tally.get(service)!.faultPointHits++;
        this.notes.push(`${service}#${k} died at archive-written:${n}`);
        await this.start(service, k);
      }),
    );
  }

  /** Whether instance k runs with a fault point that has not fired yet. */
  armed(service: Service, k = 0): boolean {
    return this.armedProcs.has(this.proc(service, k) as ServiceProcess);
  }

  /** Stops everything (SIGTERM, then SIGKILL after 20 s) and closes the driver's bus. */
  async stop(): Promise<void> {
    this.stopping = true;
    const all = [...this.instances.values()]
      .flat()
      .filter((p): p is ServiceProcess => p !== null && p !== undefined);
    // A fault point that never fired: take the process down like the others; its restart is not wanted now.
    await Promise.all(all.map((p) => p.stop(20_000)));
    await Promise.allSettled(this.watchers);
    await this.bus.close().catch(() => undefined);
  }

  /** Every log file of the run's processes. */
  logFiles(): string[] {
    return [...this.instances.entries()].flatMap(([s, list]) =>
      list.map((_, k) => path.join(this.dir, `${s}-${k}.log`)),
    );
  }

  // ---- input ------------------------------------------------------------------------

  /** Publishes the bars and end-of-day markers of calendar positions [from, to]. */
  async replay(from: number, to: number): Promise<void> {
    const topics = this.config.streaming.kafka.topics;
    await replayBars({
      panel: this.ctx.panel,
      region: 'us',
      from: this.calendar[from],
      to: this.calendar[to],
      sink: this.bus,
      ...codecReplayEncoders(this.ctx.codecs),
      topics: { bars: topics.bars, eod: topics.eod },
      batchSize: 500,
    });
  }

  async publishBars(bars: readonly BarEvent[]): Promise<void> {
    await this.bus.publish(
      this.config.streaming.kafka.topics.bars,
      bars.map((b) => ({ key: Buffer.from(b.instrument), value: this.ctx.codecs.bar.encode(b) })),
    );
  }

  async publishRaw(
    topic: 'bars' | 'eod',
    messages: readonly { key: Buffer | null; value: Buffer }[],
  ): Promise<void> {
    const name = this.config.streaming.kafka.topics[topic];
    for (let i = 0; i < messages.length; i += 500)
      await this.bus.publish(
        name,
        messages.slice(i, i + 500).map((m) => ({ key: m.key, value: m.value })),
      );
  }

  // ---- progress ---------------------------------------------------------------------

  /** Per service: closed dates, the sum of their revisions, and rows recorded. */
  async closedDates(): Promise<
    Map<string, { count: number; revisions: number; last: string | null; timedOut: number }>
  > {
    const out = new Map<
      string,
      { count: number; revisions: number; last: string | null; timedOut: number }
    >();
    try {
      const res = await exec(
        this.ctx.db,
        `SELECT instrument, count(), sum(revision), max(ts), sum(timed_out) FROM closed_dates WHERE region = 'us'`,
      );
      for (const [service, count, revisions, last, timedOut] of (res.dataset ?? []) as [
        string,
        number,
        number,
        string,
        number,
      ][])
        out.set(service, { count, revisions, last: last === null ? null : last.slice(0, 10), timedOut });
    } catch (err) {
      if (!/does not exist|table does not exist/i.test(String(err))) throw err;
    }
    return out;
  }

  async rowCount(table: string): Promise<number> {
    try {
      const res = await exec(this.ctx.db, `SELECT count() FROM ${table} WHERE region = 'us'`);
      return Number(res.dataset?.[0]?.[0] ?? 0);
    } catch {
      return 0;
    }
  }

  /** Until every listed service closed calendar position `at` (or the deadline: then false). */
  async waitClosed(services: readonly string[], at: number, timeoutMs: number): Promise<boolean> {
    const want = this.calendar[at];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const cd = await this.closedDates();
      if (services.every((s) => (cd.get(s)?.last ?? '') >= want)) return true;
      if (Date.now() > deadline) {
        this.notes.push(
          `waited ${timeoutMs} ms for ${services.join(',')} to close ${want}: ${JSON.stringify([...cd])}`,
        );
        return false;
      }
      await sleep(250);
    }
  }

  /**
   * What the date-closing groups of the bar services still have to consume
   * (a group commits a batch only after its dates were processed, a
   * restatement included, so 0 means all published input is done).
   */
  async pendingInput(): Promise<number> {
    const topics = this.config.streaming.kafka.topics;
    const shared = this.config.streaming.consumers === 'shared';
    let total = 0;
    for (const service of BAR_SERVICES) {
      const group = consumerGroup(this.config, service);
      const lags = shared
        ? [
            ...(await this.bus.consumerLag(group, [topics.bars])),
            ...(await this.bus.consumerLag(`${group}-close`, [topics.eod])),
          ]
        : await this.bus.consumerLag(group, [topics.bars, topics.eod]);
      for (const l of lags) total += Math.max(0, l.lag);
    }
    return total;
  }

  /**
   * Waits until `done(state)` holds (or the deadline), then until every bar
   * service consumed all input (`pendingInput` 0, same deadline), then until
   * the state stops changing for `quietMs` (closed dates, revisions and row
   * counts). A restatement records its dates in one write at its end, so a
   * quiet store alone does not mean it finished.
   */
  async settle(
    done: (
      state: Map<string, { count: number; revisions: number; last: string | null; timedOut: number }>,
      alphas: number,
    ) => boolean,
    timeoutMs: number,
    quietMs = 3000,
  ): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let reached = false;
    for (;;) {
      const cd = await this.closedDates();
      const alphas = await this.rowCount('alphas');
      if (done(cd, alphas)) {
        reached = true;
        break;
      }
      if (Date.now() > deadline) {
        this.notes.push(
          `did not reach the expected final state within ${timeoutMs} ms: ${JSON.stringify([...cd])}, alphas ${alphas}`,
        );
        break;
      }
      await sleep(300);
    }
    for (;;) {
      let pending: number;
      try {
        pending = await this.pendingInput();
      } catch {
        pending = -1; // the broker is restarting: ask again
      }
      if (pending === 0) break;
      if (Date.now() > deadline) {
        this.notes.push(`input still pending after ${timeoutMs} ms: ${pending} messages`);
        reached = false;
        break;
      }
      await sleep(300);
    }
    let last = '';
    let since = Date.now();
    const hardStop = Date.now() + Math.max(quietMs * 5, 20_000);
    for (;;) {
      const state =
        JSON.stringify([...(await this.closedDates())]) +
        (await this.rowCount('alphas')) +
        (await this.rowCount('features'));
      if (state !== last) {
        last = state;
        since = Date.now();
      } else if (Date.now() - since >= quietMs) return reached;
      if (Date.now() > hardStop) return reached;
      await sleep(300);
    }
  }

  // ---- training -----------------------------------------------------------------------

  /**
   * `POST /train` with the admin token until a model is published: a trainer
   * being restarted (connection refused), a run already going (409) or a run
   * killed under the request (socket closed) are retried.
   */
  async train(timeoutMs = 180_000): Promise<{ modelVersion: string }> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${this.port('trainer')}/train`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.ctx.infra.secrets.admin}` },
          signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
        });
        const body = (await res.json()) as Record<string, unknown>;
        if (res.status === 200) return body as { modelVersion: string };
        last = `HTTP ${res.status} ${JSON.stringify(body)}`;
        if (res.status !== 409 && res.status !== 503) throw new Error(`POST /train: ${last}`);
      } catch (err) {
        if (String(err).startsWith('Error: POST /train')) throw err;
        last = String(err);
      }
      if (Date.now() > deadline)
        throw new Error(`POST /train did not succeed within ${timeoutMs} ms; last: ${last}`);
      await sleep(500);
    }
  }

  // ---- output ---------------------------------------------------------------------------

  /** Every message of a topic of this run, read by a fresh group until none came for `idleMs`. */
  async readTopic(
    topic: string,
    idleMs = 2500,
    minCount = 0,
    timeoutMs = 120_000,
  ): Promise<IncomingMessage[]> {
    const out: IncomingMessage[] = [];
    let lastAt = Date.now();
    const sub = await this.bus.subscribe(
      {
        groupId: `${this.id}-reader-${Math.random().toString(36).slice(2, 8)}`,
        topics: [topic],
        fromBeginning: true,
      },
      async (batch) => {
        out.push(...batch);
        lastAt = Date.now();
      },
    );
    const deadline = Date.now() + timeoutMs;
    try {
      while ((out.length < minCount || Date.now() - lastAt < idleMs) && Date.now() < deadline)
        await sleep(200);
    } finally {
      await sub.close();
    }
    return out;
  }

  async snapshot(): Promise<RunSnapshot> {
    const store = await readStoreSnapshot(this.ctx.db, 'us');
    // At least as many events as alpha rows are expected; a run that lost events must not wait long for them.
    const raw = await this.readTopic(
      this.config.streaming.kafka.topics.alphas,
      2500,
      store.alphas.size,
      30_000,
    );
    const alphaEvents = new Map<string, string>();
    for (const m of raw) {
      const e = this.ctx.codecs.alpha.decode(m.value);
      const key = `${e.date}|${e.instrument}|${e.model_version}|${e.revision}`;
      const v = `${e.alpha_21d},${e.alpha_63d},${e.alpha_combined},${e.var_21d},${e.var_63d},${e.config_hash},${e.region}`;
      const seen = alphaEvents.get(key);
      alphaEvents.set(key, seen === undefined ? v : `${seen} DUPLICATE ${v}`);
    }
    return { store, alphaEvents, alphaEventCount: raw.length };
  }
}

/** The secrets a service process reads, as files (the *_FILE convention). */
export function secretEnv(infra: SecuredInfra): NodeJS.ProcessEnv {
  return {
    ALPHAFEED_KAFKA_PASSWORD_FILE: infra.files.kafkaPassword,
    ALPHAFEED_QUESTDB_PASSWORD_FILE: infra.files.questdbPassword,
    ALPHAFEED_ADMIN_TOKEN_FILE: infra.files.adminToken,
    ALPHAFEED_KAFKA_PASSWORD: '',
    ALPHAFEED_QUESTDB_PASSWORD: '',
    ALPHAFEED_ADMIN_TOKEN: '',
  };
}

/** Calendar day number of an ISO date, for building events. */
export const day = (iso: string): number => parseIsoDay(iso);
