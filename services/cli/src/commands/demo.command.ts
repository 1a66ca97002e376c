/**
 * `alphafeed demo --config config/us.yaml`: the whole streaming product with
 * no servers. Replays a modest synthetic region through the features, labels,
 * trainer and scorer services running in this process on the in-memory bus
 * and the embedded store, trains once enough labels matured, lets the scorer
 * publish, replays the last dates live (scored as each date closes), and
 * prints the latest alphas (top and bottom names) on stdout.
 */
import type { Command } from 'commander';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { formatIsoDay } from '@alphafeed/core';
import { PollTimeoutError, poll } from '@alphafeed/ops';
import { FeaturesBarsConsumer as FeaturesConsumer } from '@alphafeed/service-features';
import { LabelsBarsConsumer as LabelsConsumer } from '@alphafeed/service-labels';
import {
  AlphasPublisher,
  ModelSwapUseCase,
  ScoreDateUseCase,
  ScorerBarsConsumer,
} from '@alphafeed/service-scorer';
import { TrainUseCase } from '@alphafeed/service-trainer';
import { ALPHAS_TABLE } from '@alphafeed/streaming';
import { loadCommandBars, loadCommandConfig } from '../input';
import { replayPanel } from './replay.command';
import { startServices } from './serve.command';

interface DemoFlags {
  readonly config: string;
  readonly instruments: string;
  readonly years: string;
  readonly trees: string;
  readonly liveDays: string;
  readonly top: string;
  readonly quiet?: boolean;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'Replay a synthetic region through the streaming services in one process (no servers), train, score, print the latest alphas',
    )
    .requiredOption('--config <path>', 'region config (YAML)')
    .option('--instruments <n>', 'synthetic instruments (overrides data.synthetic.instruments)', '300')
    .option('--years <n>', 'synthetic years of history (overrides data.synthetic.years)', '4')
    .option('--trees <n>', 'XGBoost trees (overrides models.xgboost.n_estimators)', '60')
    .option('--live-days <n>', 'dates replayed after training, scored live as they close', '10')
    .option('--top <n>', 'names printed at each end', '10')
    .option('--quiet', 'no progress bars')
    .action((flags: DemoFlags) => runDemo(flags));
}

/** The demo's config: embedded backends on a fresh store file, the synthetic size and tree count asked for. */
export function demoConfig(
  config: RegionConfig,
  flags: Pick<DemoFlags, 'instruments' | 'years' | 'trees'>,
): RegionConfig {
  const storePath = `${config.streaming.embedded.store_path}.demo`;
  return overrideConfig(
    config,
    {
      data: {
        source: 'synthetic',
        synthetic: { instruments: Number(flags.instruments), years: Number(flags.years) },
      },
      models: { xgboost: { n_estimators: Number(flags.trees) } },
      // Not models/ and data/: the demo must not replace the artifacts of a batch `alphafeed train`.
      output: { models_dir: join('out', 'demo', 'models'), data_dir: join('out', 'demo', 'data') },
      streaming: {
        kafka: { brokers: [] },
        questdb: { http_url: null, ilp_url: null },
        embedded: { store_path: storePath },
      },
    },
    'demo',
  );
}

async function runDemo(flags: DemoFlags): Promise<void> {
  const started = Date.now();
  const input = loadCommandConfig('demo', { config: flags.config, source: 'synthetic', quiet: flags.quiet });
  const config = demoConfig(input.config, flags);
  const { log } = input;
  const storePath = config.streaming.embedded.store_path;
  rmSync(storePath, { force: true });
  rmSync(`${storePath}.lock`, { force: true });

  const { panel } = await loadCommandBars({ ...input, config }, join('out', 'demo'), flags.quiet);
  const calendar = panel.calendar;
  const liveDays = Math.min(Number(flags.liveDays), Math.max(0, calendar.length - 1));
  const historyEnd = calendar[calendar.length - 1 - liveDays];

  // The live phase publishes only new dates, so the default restatement window suffices.
  const running = await startServices(config, { basePort: null });
  try {
    const features = running.apps.features!.get(FeaturesConsumer).consumer;
    const labels = running.apps.labels!.get(LabelsConsumer).consumer;
    const scorer = running.apps.scorer!.get(ScorerBarsConsumer).consumer;
    const swap = running.apps.scorer!.get(ModelSwapUseCase);
    const alphas = running.apps.scorer!.get(AlphasPublisher);
    const bus = running.backends!.bus;
    const store = running.backends!.store;

    // 1. History up to the training cut-off.
    const history = calendar.length - liveDays;
    const t0 = Date.now();
    const r1 = await replayPanel(bus, config, panel, { to: historyEnd, quiet: flags.quiet });
    await until(
      () =>
        features.datesProcessed >= history &&
        labels.datesProcessed >= history &&
        scorer.datesProcessed >= history,
      'the services to close the history',
    );
    const ingestMs = Date.now() - t0;
    log.info(
      `replayed ${r1.bars} bars of ${r1.dates} dates; features + labels + scorer closed them in ${ingestMs} ms (${Math.round(r1.bars / (ingestMs / 1000))} bars/s end to end)`,
    );

    // 2. One training run on what matured, then the scorer swaps the model in and scores the history.
    const run = await running.apps.trainer!.get(TrainUseCase).run('demo');
    await until(() => swap.completed === run.modelVersion, 'the scorer to swap the new model in', 600_000);
    log.info(
      `model ${run.modelVersion} trained in ${run.ms} ms; scorer published ${alphas.count} alphas for the history`,
    );

    // 3. The last dates live: each is scored as soon as it closes.
    if (liveDays > 0) {
      const before = alphas.count;
      const t1 = Date.now();
      await replayPanel(bus, config, panel, { from: calendar[history], quiet: true });
      // The last marker is acknowledged when replayPanel returns: from here to the last alpha of that date is the EOD latency.
      const markerAcked = Date.now();
      await until(() => scorer.datesProcessed >= calendar.length, 'the live dates to be scored');
      log.info(
        `${liveDays} live dates scored on close: ${alphas.count - before} alphas in ${Date.now() - t1} ms; ` +
          `last EOD marker -> last alpha published ${Date.now() - markerAcked} ms (scoring ${running.apps.scorer!.get(ScoreDateUseCase).lastScoreMs} ms)`,
      );
    }

    // 4. The latest alphas.
    const last = calendar[calendar.length - 1];
    const rows = await store.read(ALPHAS_TABLE.name, {
      region: config.region,
      from: last,
      to: last,
      tags: { model_version: run.modelVersion },
    });
    const order = Array.from({ length: rows.length }, (_, i) => i).sort(
      (a, b) => rows.columns.alpha_combined[b] - rows.columns.alpha_combined[a],
    );
    const top = Number(flags.top);
    const line = (i: number): string =>
      `  ${rows.instruments[rows.instrument[i]].padEnd(10)} ${rows.columns.alpha_combined[i].toFixed(1).padStart(8)}  ` +
      `${rows.columns.alpha_21d[i].toFixed(1).padStart(8)}  ${rows.columns.alpha_63d[i].toFixed(1).padStart(8)}`;
    const out: string[] = [
      `latest alphas ${formatIsoDay(rows.date[0] ?? 0)} (${config.region}, model ${run.modelVersion}, ${rows.length} names, bps)`,
      `  ${'instrument'.padEnd(10)} ${'combined'.padStart(8)}  ${'21d'.padStart(8)}  ${'63d'.padStart(8)}`,
      'top:',
      ...order.slice(0, top).map(line),
      'bottom:',
      ...order.slice(-top).map(line),
    ];
    process.stdout.write(`${out.join('\n')}\n`);
    log.info(
      `demo done in ${((Date.now() - started) / 1000).toFixed(1)} s; peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB; store ${storePath}`,
    );
  } finally {
    await running.close();
  }
}

async function until(predicate: () => boolean, what: string, timeoutMs = 900_000): Promise<void> {
  try {
    await poll(async () => predicate(), Boolean, { initialMs: 20, maxMs: 20, timeoutMs, what });
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    throw new Error(
      `demo: timed out after ${timeoutMs} ms waiting for ${what}; see the log lines above for a stopped service`,
    );
  }
}
