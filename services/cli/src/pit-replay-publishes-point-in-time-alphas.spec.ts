/**
 * Scenario (embedded default: MemoryBus + EmbeddedStore, the services in
 * this process): golden case c (first 30 instruments, 1,000 dates) replayed
 * with the trainer scheduled on the SPEC §9 retrain dates. The alphas the
 * scorer published equal `computePointInTimeAlphas` on the same bars, model
 * by model on its window `(T_j, T_j+1]`, to 1e-6 bps.
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
import { compareStoredAlphas } from './pit-replay.check';

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

  it('publishes the alphas computePointInTimeAlphas computes (1e-6 bps)', async () => {
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
      only: ['features', 'labels', 'trainer', 'scorer'],
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
    const { readServiceCalendar } = await import('@alphafeed/streaming');
    const { poll } = await import('@alphafeed/ops');
    const lastDay = Date.parse(panel.calendar[panel.calendar.length - 1]) / 86_400_000;
    await poll(
      () => readServiceCalendar(store, config.region, 'scorer'),
      (c) => c.days.includes(lastDay),
      { timeoutMs: 120_000 },
    );
    const cmp = await compareStoredAlphas(store, config, batch);
    process.stdout.write(
      `pit replay: ${replay.dates} dates, ${replay.models.length} trainings in ${Date.now() - started} ms; ` +
        `${cmp.matched}/${cmp.rows} alphas matched, max |live - batch| ${cmp.maxAbsBps} bps\n`,
    );
    expect(cmp.problems).toEqual([]);
    expect(cmp.matched).toBe(cmp.rows);
    expect(cmp.maxAbsBps).toBeLessThanOrEqual(1e-6);
  }, 600_000);
});
