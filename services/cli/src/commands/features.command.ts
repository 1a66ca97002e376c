/**
 * `alphafeed features`: bars → features.parquet + labels.parquet (SPEC §2–4),
 * through the same incremental kernels the streaming services run.
 */
import { join } from 'node:path';
import type { Command } from 'commander';
import { Progress } from '@alphafeed/core';
import type { FeatureFrame, LabelFrame } from '@alphafeed/core';
import { writeParquet } from '@alphafeed/data';
import { computeFeatureFrame } from '@alphafeed/features';
import type { FeatureName } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import { loadCommandBars, loadCommandConfig } from '../input';

interface FeaturesFlags {
  readonly config: string;
  readonly source?: string;
  readonly out: string;
  readonly quiet?: boolean;
}

export function registerFeaturesCommand(program: Command): void {
  program
    .command('features')
    .description('compute features and labels of a region and write them as Parquet')
    .requiredOption('--config <path>', 'region config, e.g. config/us.yaml')
    .option(
      '--source <spec>',
      'csv:PATH | parquet:PATH | qlib:DIR[:MARKET] | synthetic (default: data.source)',
    )
    .requiredOption('--out <dir>', 'output directory')
    .option('--quiet', 'no progress bars')
    .action((flags: FeaturesFlags) => runFeatures(flags));
}

export async function runFeatures(flags: FeaturesFlags): Promise<void> {
  const started = Date.now();
  const input = loadCommandConfig('features', flags);
  const { config, log } = input;
  const { panel, rejects, hasSharesOut, membership } = await loadCommandBars(input, flags.out, flags.quiet);
  const members = membership === null ? null : membership.forPanel(panel);

  // turnover_20 is a model feature only when the input has shares_out (SPEC §2).
  const names = config.features.names.filter((n) => hasSharesOut || n !== 'turnover_20') as FeatureName[];
  const progress = new Progress('features', panel.calendar.length, { unit: 'dates', quiet: flags.quiet });
  const features = computeFeatureFrame(
    panel,
    {
      features: names,
      minIndustrySize: config.features.min_industry_size,
      ffillLimit: config.features.ffill_limit,
      winsorize: config.features.winsorize,
      membership: members,
      workers: config.features.workers === 0 ? undefined : config.features.workers,
    },
    () => progress.tick(),
  );
  progress.finish();
  const labels = computeLabelFrame(panel, {
    horizons: config.labels.horizons,
    ffillLimit: config.features.ffill_limit,
    membership: members,
  });

  await writeParquet(join(flags.out, 'features.parquet'), featureTable(features));
  await writeParquet(join(flags.out, 'labels.parquet'), labelTable(labels));

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log.info(
    `features: ${features.length} rows × ${features.featureNames.length} features, ` +
      `labels: ${labels.length} rows (${labels.horizons.map((k) => `${k}d`).join(', ')}), ` +
      `${panel.instruments.length} instruments, ${panel.calendar.length} dates, ` +
      `${rejects.rejected} rejects, ${seconds}s → ${flags.out}`,
  );
}

/** Day numbers of a calendar, so date columns are written as Parquet DATE. */
function calendarDays(calendar: readonly string[]): Int32Array {
  const days = new Int32Array(calendar.length);
  for (let d = 0; d < calendar.length; d++) days[d] = Date.parse(calendar[d]) / 86_400_000;
  return days;
}

function rowDays(calendar: readonly string[], date: Int32Array): Int32Array {
  const days = calendarDays(calendar);
  const out = new Int32Array(date.length);
  for (let i = 0; i < date.length; i++) out[i] = days[date[i]];
  return out;
}

function featureTable(f: FeatureFrame) {
  return {
    length: f.length,
    columns: [
      { name: 'date', type: 'date' as const, values: rowDays(f.calendar, f.date) },
      { name: 'instrument', type: 'string' as const, codes: f.instrument, dictionary: f.instruments },
      ...f.featureNames.map((name, j) => ({ name, type: 'double' as const, values: f.features[j] })),
    ],
  };
}

function labelTable(l: LabelFrame) {
  return {
    length: l.length,
    columns: [
      { name: 'date', type: 'date' as const, values: rowDays(l.calendar, l.date) },
      { name: 'instrument', type: 'string' as const, codes: l.instrument, dictionary: l.instruments },
      ...l.horizons.map((k, h) => ({ name: `label_${k}d`, type: 'double' as const, values: l.labels[h] })),
    ],
  };
}
