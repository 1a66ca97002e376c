/**
 * `alphafeed train`: bars → features + labels → the Model 2 training run
 * (SPEC §5–7) → model set and data artifacts, written all-or-nothing.
 * `--debug` trains on the config's `training.debug` subset (first N
 * instruments and dates, fewer trees) so a run takes seconds.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { overrideConfig } from '@alphafeed/config';
import { InputError, Progress } from '@alphafeed/core';
import { computeFeatureFrame, type FeatureName } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import { subsetBars, trainModel2, writeArtifacts, type TrainProgressEvent } from '@alphafeed/training';
import { loadCommandBars, loadCommandConfig, type CommandInput } from '../input';
import { gitSha } from '@alphafeed/ops';

export interface TrainFlags {
  readonly config: string;
  readonly source?: string;
  readonly debug?: boolean;
  readonly outModels?: string;
  readonly outData?: string;
  readonly nthread?: string;
  readonly quiet?: boolean;
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description(
      'train Model 2 (CV, Ridge + XGBoost, stacking, calibration) and write the model set and predictions',
    )
    .requiredOption('--config <path>', 'region config, e.g. config/us.yaml')
    .option(
      '--source <spec>',
      'csv:PATH | parquet:PATH | qlib:DIR[:MARKET] | synthetic (default: data.source)',
    )
    .option(
      '--debug',
      'train on the training.debug subset (first N instruments and dates, fewer trees): seconds',
    )
    .option('--out-models <dir>', 'root of model sets (default: output.models_dir)')
    .option('--out-data <dir>', 'root of data outputs (default: output.data_dir)')
    .option('--nthread <n>', 'XGBoost threads (default: models.xgboost.nthread; 0 = all cores)')
    .option('--quiet', 'no progress bars')
    .action((flags: TrainFlags) => runTrain(flags));
}

export async function runTrain(flags: TrainFlags): Promise<void> {
  const started = Date.now();
  let input = loadCommandConfig('train', flags);
  const nthread = parseThreads(flags.nthread);
  const outModels = flags.outModels ?? input.config.output.models_dir;
  const outData = flags.outData ?? input.config.output.data_dir;
  input = debugGenerator(input);
  const { config, log } = input;
  const region = config.region;
  const runtime: Record<string, number> = {};

  let t0 = Date.now();
  const loaded = await loadCommandBars(input, join(outData, 'model2', 'rejects', region), flags.quiet);
  const debug = config.training.debug;
  const bars = subsetBars(loaded.panel, {
    startDate: config.data.start_date,
    endDate: config.data.end_date,
    ...(config.debug ? { instruments: debug.instruments, dates: debug.dates } : {}),
  });
  runtime.load = Date.now() - t0;
  if (bars !== loaded.panel) {
    log.info(
      `${config.debug ? 'debug subset' : 'date range'}: ${bars.length} bars, ${bars.instruments.length} instruments, ` +
        `${bars.calendar.length} dates (${bars.calendar[0]} .. ${bars.calendar[bars.calendar.length - 1]})`,
    );
  }

  t0 = Date.now();
  const names = config.features.names.filter(
    (n) => loaded.hasSharesOut || n !== 'turnover_20',
  ) as FeatureName[];
  // Membership binds the subset's ids and calendar (SPEC §1: it selects rows, never history).
  const members = loaded.membership === null ? null : loaded.membership.forPanel(bars);
  const featureBar = new Progress('features', bars.calendar.length, { unit: 'dates', quiet: flags.quiet });
  const features = computeFeatureFrame(
    bars,
    {
      features: names,
      minIndustrySize: config.features.min_industry_size,
      ffillLimit: config.features.ffill_limit,
      winsorize: config.features.winsorize,
      membership: members,
      workers: config.features.workers === 0 ? undefined : config.features.workers,
    },
    () => featureBar.tick(),
  );
  featureBar.finish();
  runtime.features = Date.now() - t0;
  t0 = Date.now();
  const labels = computeLabelFrame(bars, {
    horizons: config.labels.horizons,
    ffillLimit: config.features.ffill_limit,
    membership: members,
  });
  runtime.labels = Date.now() - t0;

  const progressBars: Record<string, Progress> = {};
  const onProgress = (e: TrainProgressEvent): void => {
    const key = `${e.horizon} ${e.model}`;
    progressBars[key] ??= new Progress(`train ${key}`, e.total, { unit: 'fits', quiet: flags.quiet });
    progressBars[key].update(e.done);
    if (e.done === e.total) progressBars[key].finish();
  };
  const result = trainModel2(
    { features, labels, config },
    { onProgress, nthread, logger: { info: (m) => log.info(m), warn: (m) => log.warn(m) } },
  );
  try {
    const written = await writeArtifacts(result, {
      modelsDir: outModels,
      dataDir: outData,
      gitSha: gitSha(),
      runtime,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const oof = result.scores
      .filter((s) => s.fold_id === 'oof' && s.metric === 'rank_ic')
      .map((s) => `${s.model}_${s.horizon}=${s.value.toFixed(4)}`)
      .join(' ');
    log.info(
      `train: ${result.modelVersion} (region=${region} config_hash=${result.configHash.slice(0, 12)} git=${gitSha()} ` +
        `seed=${result.seed}) OOF rank IC ${oof}; ${seconds}s → ${written.modelDir}, ${written.dataDir}`,
    );
    log.info(`train: runtime ms ${JSON.stringify(written.manifest.runtime_ms)}`);
  } finally {
    result.dispose();
  }
}

function parseThreads(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    throw new InputError(`--nthread must be an integer >= 0 (0 = all cores), got "${text}"`);
  }
  return n;
}

/**
 * A debug run on the synthetic source generates only what the subset keeps
 * (instead of generating the full panel and dropping most of it).
 */
function debugGenerator(input: CommandInput): CommandInput {
  const { config } = input;
  if (!config.debug || config.data.source !== 'synthetic') return input;
  const s = config.data.synthetic;
  const d = config.training.debug;
  const years = Math.max(1, Math.min(s.years, Math.ceil(d.dates / 250)));
  const instruments = Math.min(s.instruments, d.instruments);
  if (years === s.years && instruments === s.instruments) return input;
  const small = overrideConfig(config, { data: { synthetic: { years, instruments } } }, 'train --debug');
  input.log.info(
    `debug: generating ${instruments} synthetic instruments × ${years} years (config_hash of this run differs)`,
  );
  return { ...input, config: small };
}
