/**
 * Point-in-time replay on real Kafka and QuestDB (started by
 * test/global-setup.ts): golden case c (first 30 instruments, 1,000 dates)
 * replayed through the services, each with its own consumer group and its
 * own connections as in production, with the trainer scheduled on the SPEC
 * §9 retrain dates. (a) The alphas the scorer published (on the topic and
 * in the store) equal `computePointInTimeAlphas` to 1e-6 bps; (b) the
 * target weights the portfolio service published equal the batch
 * backtest's decisions over those alphas to 1e-6.
 *
 * The store tables are keyed by region, not by run, and the trainer reads
 * the whole region's calendar: the spec starts from an empty `us` region
 * (the specs of one e2e run go one after another, each creates its tables).
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEventCodecs } from '@alphafeed/codec';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay, parseIsoDay } from '@alphafeed/core';
import { silentLogger } from '@alphafeed/ops';
import { computePointInTimeAlphas } from '@alphafeed/pit-alphas';
import {
  batchFrames,
  batchTargets,
  compareStoredAlphas,
  compareStoredTargets,
  pitScheduleOf,
  replayPointInTime,
  startServices,
} from '@alphafeed/service-cli';
import type { RunningServices } from '@alphafeed/service-cli';
import { TrainUseCase } from '@alphafeed/service-trainer';
import { closeBackends, openBackends, readServiceCalendar } from '@alphafeed/streaming';
import type { Backends } from '@alphafeed/streaming';
import { filterPanel, readGoldenBars, REPO_ROOT } from '@alphafeed/testing';
import { env, unique, until } from '../infra/poll';
import { dropServiceTables } from '../infra/questdb-tables';
import { readTopic } from '../streaming/streaming.flow';

function e2eConfig(dir: string, brokers: string[], questdbUrl: string): RegionConfig {
  const id = unique('pit');
  return overrideConfig(
    loadConfig(join(REPO_ROOT, 'config/us.yaml')),
    {
      log_level: 'warn',
      models: { xgboost: { n_estimators: 8, max_depth: 2, nthread: 1 } },
      output: { models_dir: join(dir, 'models'), data_dir: join(dir, 'data') },
      streaming: {
        kafka: {
          brokers,
          group_prefix: id,
          client_id: id,
          partitions: 3,
          topics: {
            bars: `${id}.bars.daily.v1`,
            eod: `${id}.bars.eod.v1`,
            alphas: `${id}.alphas.daily.v1`,
            models: `${id}.models.v1`,
            targets: `${id}.targets.daily.v1`,
          },
        },
        questdb: { http_url: questdbUrl },
        eod_timeout_ms: 600_000,
        embedded: { store_path: join(dir, 'store.log') },
      },
    },
    'e2e',
  );
}

describe('point-in-time replay on Kafka + QuestDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-pit-e2e-'));
  let running: RunningServices | null = null;
  let backends: Backends | null = null;
  afterAll(async () => {
    await running?.close();
    if (backends !== null) await closeBackends(backends);
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the point-in-time alphas (1e-6 bps) and the batch backtest target weights (1e-6) with the trainer on the retrain dates', async () => {
    const questdbUrl = env('ALPHAFEED_QUESTDB_URL');
    const config = e2eConfig(dir, env('ALPHAFEED_KAFKA_BROKERS').split(','), questdbUrl);
    const all = readGoldenBars('c');
    const panel = filterPanel(all, (r) => all.instrument[r] < 30);
    const frames = batchFrames(config, panel);
    const schedule = pitScheduleOf(config, frames);
    const batch = await computePointInTimeAlphas(
      { ...frames, config },
      { retrainEvery: config.portfolio.retrain_every, minTrainDates: config.portfolio.min_train_dates },
    );

    await dropServiceTables(questdbUrl);
    running = await startServices(config, {
      basePort: null,
      only: ['features', 'labels', 'trainer', 'scorer', 'portfolio'],
    });
    backends = await openBackends(config, silentLogger);
    const trainer = running.apps.trainer!.get(TrainUseCase);
    const started = Date.now();
    const replay = await replayPointInTime(
      backends.bus,
      backends.store,
      config,
      panel,
      schedule,
      { train: async (T) => (await trainer.run(`point-in-time retrain at ${T}`)).modelVersion },
      { quiet: true },
    );
    expect(replay.models).toEqual(batch.table.modelIds);
    const lastDay = parseIsoDay(panel.calendar[panel.calendar.length - 1]);
    await until(
      `the scorer to record ${formatIsoDay(lastDay)}`,
      async () =>
        (await readServiceCalendar(backends!.store, config.region, 'scorer')).days.includes(lastDay),
      (done) => done,
      120_000,
    );
    const cmp = await until(
      'the alphas of every model in the store',
      () => compareStoredAlphas(backends!.store, config, batch),
      (c) => c.matched === c.rows,
      60_000,
    );
    process.stdout.write(
      `pit e2e: ${replay.dates} dates, ${replay.models.length} trainings, replay ${Date.now() - started} ms; ` +
        `${cmp.matched}/${cmp.rows} stored alphas matched, max |live - batch| ${cmp.maxAbsBps} bps\n`,
    );
    expect(cmp.problems).toEqual([]);
    expect(cmp.maxAbsBps).toBeLessThanOrEqual(1e-6);

    // The topic carries the same numbers: every point-in-time row among the events of its model.
    const codecs = loadEventCodecs();
    let scoredRows = 0;
    for (const model of replay.models)
      scoredRows += (
        await backends.store.read('alphas', { region: config.region, tags: { model_version: model } })
      ).length;
    const events = (await readTopic(backends.bus, config.streaming.kafka.topics.alphas, scoredRows)).map(
      (v) => codecs.alpha.decode(v),
    );
    const byKey = new Map(events.map((e) => [`${e.model_version} ${e.date} ${e.instrument}`, e]));
    let worst = 0;
    let missing = 0;
    const t = batch.table;
    for (let r = 0; r < t.length; r++) {
      const e = byKey.get(
        `${t.modelIds[t.model[r]]} ${parseIsoDay(t.calendar[t.date[r]])} ${t.instruments[t.instrument[r]]}`,
      );
      if (e === undefined) missing++;
      else worst = Math.max(worst, Math.abs(e.alpha_combined - t.alphaCombined[r]));
    }
    expect(missing).toBe(0);
    expect(worst).toBeLessThanOrEqual(1e-6);

    // (b) The target weights the portfolio service published = the batch backtest's decisions over the same alphas.
    await until(
      `the portfolio to record ${formatIsoDay(lastDay)}`,
      async () =>
        (await readServiceCalendar(backends!.store, config.region, 'portfolio')).days.includes(lastDay),
      (done) => done,
      180_000,
    );
    const backtest = batchTargets(config, panel, frames.features, batch);
    const targets = await until(
      'the target weights of every rebalance date in the store',
      () => compareStoredTargets(backends!.store, config, backtest),
      (c) => c.matched === c.rows,
      60_000,
    );
    process.stdout.write(
      `pit e2e targets: ${targets.liveDates}/${targets.batchDates} rebalance dates, ${targets.matched}/${targets.rows} weights matched, max |live - batch| ${targets.maxAbs}\n`,
    );
    expect(targets.batchDates).toBeGreaterThan(10);
    expect(targets.problems).toEqual([]);
    expect(targets.liveDates).toBe(targets.batchDates);
    expect(targets.maxAbs).toBeLessThanOrEqual(1e-6);
    const targetEvents = (await readTopic(backends.bus, config.streaming.kafka.topics.targets, 1)).map((v) =>
      codecs.targetWeights.decode(v),
    );
    expect(targetEvents[0].region).toBe(config.region);
    expect(targetEvents[0].config_hash).toHaveLength(64);
  });
});
