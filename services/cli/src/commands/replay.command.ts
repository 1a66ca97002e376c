/**
 * `alphafeed replay --config … [--from D] [--to D] [--source …]`: publishes
 * the history of a bar source on the bus in date order, each date's bars
 * then its end-of-day marker, with a progress bar and a resumable position
 * file (a restarted replay continues after the last acknowledged date).
 */
import type { Command } from 'commander';
import { join } from 'node:path';
import type { BusPort } from '@alphafeed/bus';
import { KafkaBus } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import type { BarPanel } from '@alphafeed/core';
import { Progress } from '@alphafeed/core';
import { codecReplayEncoders, replayBars } from '@alphafeed/pipeline';
import type { ReplayResult } from '@alphafeed/pipeline';
import { withServerEnv } from '@alphafeed/runtime';
import { ensureStreamingTopics, kafkaBusOptions, kafkaLogging } from '@alphafeed/streaming';
import { loadCommandBars, loadCommandConfig } from '../input';
import type { CommandInput } from '../input';

interface ReplayFlags {
  readonly config: string;
  readonly source?: string;
  readonly from?: string;
  readonly to?: string;
  readonly position?: string;
  readonly restart?: boolean;
  readonly quiet?: boolean;
}

export interface ReplayPanelOptions {
  readonly from?: string;
  readonly to?: string;
  readonly positionFile?: string;
  readonly restart?: boolean;
  readonly quiet?: boolean;
  readonly configHash?: string;
}

/** Publishes `panel` on `bus` (topics created if missing) with a progress bar; shared with `demo`. */
export async function replayPanel(
  bus: BusPort,
  config: RegionConfig,
  panel: BarPanel,
  options: ReplayPanelOptions = {},
): Promise<ReplayResult & { ms: number }> {
  await ensureStreamingTopics(bus, config);
  const topics = config.streaming.kafka.topics;
  let progress: Progress | undefined;
  const started = Date.now();
  const result = await replayBars({
    panel,
    region: config.region,
    from: options.from,
    to: options.to,
    sink: bus,
    ...codecReplayEncoders(loadEventCodecs()),
    topics: { bars: topics.bars, eod: topics.eod },
    positionFile: options.positionFile,
    restart: options.restart,
    configHash: options.configHash,
    onProgress: (p) => {
      progress ??= new Progress('replay', p.datesTotal, { unit: 'dates', quiet: options.quiet });
      progress.update(p.datesDone);
    },
  });
  progress?.finish();
  return { ...result, ms: Date.now() - started };
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'Publish the history of a bar source on the bus, in date order with end-of-day markers (resumable)',
    )
    .requiredOption('--config <path>', 'region config (YAML)')
    .option(
      '--source <spec>',
      'csv:PATH | qlib:DIR | parquet:PATH | synthetic (default: data.source of the config)',
    )
    .option('--from <date>', 'first date to publish (YYYY-MM-DD)')
    .option('--to <date>', 'last date to publish (YYYY-MM-DD)')
    .option('--position <file>', 'resumable position file (default out/replay/<region>.position.json)')
    .option('--restart', 'ignore an existing position and publish from --from again')
    .option('--quiet', 'no progress bar')
    .action((flags: ReplayFlags) => runReplay(flags));
}

async function runReplay(flags: ReplayFlags): Promise<void> {
  const input: CommandInput = loadCommandConfig('replay', flags);
  const config = withServerEnv(input.config);
  if (config.streaming.kafka.brokers.length === 0) {
    throw new Error(
      'replay publishes to Kafka, but the config has no streaming.kafka.brokers (and ALPHAFEED_KAFKA_BROKERS is unset); ' +
        'without servers use `alphafeed demo`, which replays into the in-process services',
    );
  }
  const outDir = join('out', 'replay');
  const { panel } = await loadCommandBars(input, outDir, flags.quiet);
  const bus = new KafkaBus({
    ...kafkaBusOptions(config, `${config.streaming.kafka.client_id}-replay`),
    ...kafkaLogging(input.log),
  });
  await bus.connect();
  try {
    const r = await replayPanel(bus, config, panel, {
      from: flags.from,
      to: flags.to,
      positionFile: flags.position ?? join(outDir, `${config.region}.position.json`),
      restart: flags.restart,
      quiet: flags.quiet,
      configHash: input.configHash,
    });
    input.log.info(
      `replay: ${r.bars} bars of ${r.dates} dates published (${r.skipped} dates skipped as already published), last ${r.lastDate ?? '-'}, ` +
        `${Math.round(r.bars / Math.max(r.ms / 1000, 1e-3))} bars/s`,
    );
  } finally {
    await bus.close();
  }
}
