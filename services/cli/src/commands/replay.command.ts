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
import { readSecret } from '@alphafeed/config';
import { InputError } from '@alphafeed/core';
import {
  closeBackends,
  ensureStreamingTopics,
  kafkaBusOptions,
  kafkaLogging,
  openBackends,
} from '@alphafeed/streaming';
import { loadCommandBars, loadCommandConfig } from '../input';
import { batchFrames, pitScheduleOf, replayPointInTime } from '../pit-replay';
import type { CommandInput } from '../input';

interface ReplayFlags {
  readonly config: string;
  readonly source?: string;
  readonly from?: string;
  readonly to?: string;
  readonly position?: string;
  readonly restart?: boolean;
  readonly quiet?: boolean;
  readonly retrain?: string;
  readonly trainer?: string;
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
    .option(
      '--retrain <schedule>',
      'pit: pause at each SPEC §9 retrain date (portfolio.retrain_every / min_train_dates), have the trainer train on what the services closed, wait for the scorer to swap the model in, go on',
    )
    .option(
      '--trainer <url>',
      'with --retrain pit: the trainer service (POST /train; bearer token from ALPHAFEED_ADMIN_TOKEN[_FILE] if set)',
      'http://127.0.0.1:8083',
    )
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
  if (flags.retrain !== undefined) return runPointInTimeReplay(input, config, flags);
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

/**
 * `replay --retrain pit`: the whole history (the schedule is SPEC §9's, from
 * the bars' features and labels), with a training at each retrain date.
 * Not resumable: a restarted run publishes again (the services ignore what
 * they already processed: same digest, no restatement).
 */
async function runPointInTimeReplay(
  input: CommandInput,
  config: RegionConfig,
  flags: ReplayFlags,
): Promise<void> {
  if (flags.retrain !== 'pit')
    throw new InputError(
      `--retrain: unknown schedule "${flags.retrain}"; the schedule is: pit (SPEC §9 retrain dates)`,
    );
  if (flags.from !== undefined || flags.to !== undefined)
    throw new InputError(
      `--retrain pit replays the whole history (the retrain dates count from its first date); drop --from/--to (got ${flags.from ?? '-'} .. ${flags.to ?? '-'})`,
    );
  if (config.streaming.questdb.http_url === null)
    throw new InputError(
      'replay --retrain pit follows the services through the store, but the config has no streaming.questdb.http_url (and ALPHAFEED_QUESTDB_URL is unset)',
    );
  const trainerUrl = new URL('/train', flags.trainer ?? 'http://127.0.0.1:8083').toString();
  const { panel, membership } = await loadCommandBars(input, join('out', 'replay'), flags.quiet);
  const frames = batchFrames(config, panel, membership === null ? null : membership.forPanel(panel));
  const schedule = pitScheduleOf(config, frames);
  input.log.info(
    `replay --retrain pit: ${schedule.retrainDates.length} retrain dates from ${panel.calendar[schedule.t0]} ` +
      `(every ${schedule.retrainEvery} dates, T0 after ${schedule.trainDatesAtT0} labelled dates); trainer ${trainerUrl}`,
  );
  const token = readSecret('ALPHAFEED_ADMIN_TOKEN', process.env, config.streaming.security.admin.token_file);
  const backends = await openBackends(config, input.log);
  try {
    const r = await replayPointInTime(
      backends.bus,
      backends.store,
      config,
      panel,
      schedule,
      {
        train: async (T) => {
          const response = await fetch(trainerUrl, {
            method: 'POST',
            headers: token === null ? {} : { authorization: `Bearer ${token.reveal()}` },
          });
          const body = (await response.json().catch(() => ({}))) as {
            modelVersion?: string;
            detail?: string;
          };
          if (!response.ok || typeof body.modelVersion !== 'string')
            throw new Error(
              `training at ${T}: ${trainerUrl} answered ${response.status}${body.detail === undefined ? '' : `: ${body.detail}`}`,
            );
          return body.modelVersion;
        },
      },
      { quiet: flags.quiet, log: (m) => input.log.info(m) },
    );
    input.log.info(
      `replay --retrain pit: ${r.bars} bars of ${r.dates} dates, ${r.models.length} trainings (${r.models.join(', ')}) in ${(r.ms / 1000).toFixed(1)} s`,
    );
  } finally {
    await closeBackends(backends);
  }
}
