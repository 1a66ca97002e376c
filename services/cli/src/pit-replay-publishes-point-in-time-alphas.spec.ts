/**
 * Scenario (embedded default: MemoryBus + EmbeddedStore, the services in
 * this process): golden case c (first 30 instruments, 1,000 dates) replayed
 * with the trainer scheduled on the SPEC §9 retrain dates.
 * (a) The alphas the scorer published equal `computePointInTimeAlphas` on
 *     the same bars, model by model on its window `(T_j, T_j+1]`, to 1e-6 bps.
 * (b) The target weights the portfolio service published equal the batch
 *     backtest's decisions (`runPortfolioBacktest` over the same
 *     point-in-time alphas), every rebalance date, to 1e-6.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { computePointInTimeAlphas } from '@alphafeed/pit-alphas';
import { TrainUseCase } from '@alphafeed/service-trainer';
import { filterPanel, readGoldenBars, REPO_ROOT } from '@alphafeed/testing';
import { startServices } from './commands/serve.command';
import type { RunningServices } from './commands/serve.command';
import { batchFrames, pitScheduleOf, replayPointInTime } from './pit-replay';
import { batchTargets, compareStoredAlphas, compareStoredTargets } from './pit-replay.check';
import { parseIsoDay } from '@alphafeed/core';
import { poll } from '@alphafeed/ops';
import { readServiceCalendar } from '@alphafeed/streaming';

function pitConfig(dir: string): RegionConfig {
  return overrideConfig(
    loadConfig(join(REPO_ROOT, 'config/us.yaml')),
    {
      log_level: 'warn',
      models: { xgboost: { n_estimators: 8, max_depth: 2, nthread: 1 } },
      output: { models_dir: join(dir, 'models'), data_dir: join(dir, 'data') },
      streaming: { embedded: { store_path: join(dir, 'store.log') }, eod_timeout_ms: 600_000 },
    },
    'test',
  );
}

describe('replay with the trainer on the point-in-time retrain dates (embedded)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-pit-replay-'));
  let running: RunningServices | null = null;
  afterAll(async () => {
    await running?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes the alphas computePointInTimeAlphas computes (1e-6 bps) and the target weights the batch backtest decides (1e-6)', async () => {
    const all = readGoldenBars('c');
    const panel = filterPanel(all, (r) => all.instrument[r] < 30);
    const config = pitConfig(dir);
    const frames = batchFrames(config, panel);
    const schedule = pitScheduleOf(config, frames);
    const batch = await computePointInTimeAlphas(
      { ...frames, config },
      { retrainEvery: config.portfolio.retrain_every, minTrainDates: config.portfolio.min_train_dates },
    );
    expect(batch.trainings.length).toBeGreaterThanOrEqual(2);

    running = await startServices(config, {
      basePort: null,
      only: ['features', 'labels', 'trainer', 'scorer', 'portfolio'],
    });
    const { bus, store } = running.backends!;
    const trainer = running.apps.trainer!.get(TrainUseCase);
    const started = Date.now();
    const replay = await replayPointInTime(
      bus,
      store,
      config,
      panel,
      schedule,
      { train: async (T) => (await trainer.run(`point-in-time retrain at ${T}`)).modelVersion },
      { quiet: true },
    );
    expect(replay.retrainDates).toEqual(batch.trainings.map((t) => t.retrainDate));
    expect(replay.models).toEqual(batch.table.modelIds);
    const lastDay = parseIsoDay(panel.calendar[panel.calendar.length - 1]);
    for (const service of ['scorer', 'portfolio'])
      await poll(
        () => readServiceCalendar(store, config.region, service),
        (c) => c.days.includes(lastDay),
        { timeoutMs: 120_000, what: `the ${service} to record the last date` },
      );
    const cmp = await compareStoredAlphas(store, config, batch);
    process.stdout.write(
      `pit replay: ${replay.dates} dates, ${replay.models.length} trainings in ${Date.now() - started} ms; ` +
        `${cmp.matched}/${cmp.rows} alphas matched, max |live - batch| ${cmp.maxAbsBps} bps\n`,
    );
    expect(cmp.problems).toEqual([]);
    expect(cmp.matched).toBe(cmp.rows);
    expect(cmp.maxAbsBps).toBeLessThanOrEqual(1e-6);

    const backtest = batchTargets(config, panel, frames.features, batch);
    const targets = await compareStoredTargets(store, config, backtest);
    process.stdout.write(
      `pit replay targets: ${targets.liveDates}/${targets.batchDates} rebalance dates, ${targets.matched}/${targets.rows} weights matched, ` +
        `max |live - batch| ${targets.maxAbs}\n`,
    );
    expect(targets.batchDates).toBeGreaterThan(10);
    expect(targets.problems).toEqual([]);
    expect(targets.liveDates).toBe(targets.batchDates);
    expect(targets.matched).toBe(targets.rows);
    expect(targets.maxAbs).toBeLessThanOrEqual(1e-6);
  }, 600_000);
});
