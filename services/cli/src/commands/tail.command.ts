/**
 * `alphafeed tail alphas|targets [--from-beginning] [--limit N]`: prints a
 * live feed decoded, one line per event on stdout, tab-separated — alphas:
 * date instrument alpha_21d alpha_63d alpha_combined var_21d var_63d
 * model_version revision; targets: date instrument weight previous_weight
 * status model_id revision — logs on stderr.
 */
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { KafkaBus } from '@alphafeed/bus';
import { loadEventCodecs } from '@alphafeed/codec';
import type { AlphaEvent, EventCodecs, TargetWeightsEvent } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import { InputError, formatIsoDay } from '@alphafeed/core';
import { runShutdownOnSignals, withServerEnv } from '@alphafeed/runtime';
import { kafkaBusOptions, kafkaLogging } from '@alphafeed/streaming';
import { loadCommandConfig } from '../input';

interface TailFlags {
  readonly config: string;
  readonly fromBeginning?: boolean;
  readonly limit?: string;
}

/** One stdout line per Alpha event. */
export function formatAlphaLine(a: AlphaEvent): string {
  const bps = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'NaN');
  return [
    formatIsoDay(a.date),
    a.instrument,
    bps(a.alpha_21d),
    bps(a.alpha_63d),
    bps(a.alpha_combined),
    bps(a.var_21d),
    bps(a.var_63d),
    a.model_version,
    a.revision,
  ].join('\t');
}

/** One stdout line per TargetWeights event (weights to 8 decimals). */
export function formatTargetLine(t: TargetWeightsEvent): string {
  return [
    formatIsoDay(t.date),
    t.instrument,
    t.weight.toFixed(8),
    t.previous_weight.toFixed(8),
    t.status,
    t.model_id === '' ? '-' : t.model_id,
    t.revision,
  ].join('\t');
}

/** The feeds `tail` follows: topic and line format of each. */
const FEEDS: Record<
  string,
  { topic: (c: RegionConfig) => string; line: (codecs: EventCodecs, value: Buffer) => string }
> = {
  alphas: {
    topic: (c) => c.streaming.kafka.topics.alphas,
    line: (codecs, value) => formatAlphaLine(codecs.alpha.decode(value)),
  },
  targets: {
    topic: (c) => c.streaming.kafka.topics.targets,
    line: (codecs, value) => formatTargetLine(codecs.targetWeights.decode(value)),
  },
};

export function registerTailCommand(program: Command): void {
  program
    .command('tail')
    .description('Print a live feed decoded, one line per event (stdout)')
    .argument('<feed>', `the feed to follow: ${Object.keys(FEEDS).join(' | ')}`)
    .requiredOption('--config <path>', 'region config (YAML)')
    .option('--from-beginning', 'start at the oldest event instead of new ones only')
    .option('--limit <n>', 'stop after n events')
    .action((feed: string, flags: TailFlags) => runTail(feed, flags));
}

async function runTail(feed: string, flags: TailFlags): Promise<void> {
  const chosen = Object.prototype.hasOwnProperty.call(FEEDS, feed) ? FEEDS[feed] : undefined;
  if (chosen === undefined)
    throw new InputError(
      `tail: unknown feed "${feed}"; the feeds to follow are: ${Object.keys(FEEDS).join(', ')}`,
    );
  const limit = flags.limit === undefined ? Infinity : Number(flags.limit);
  if (!(limit > 0)) throw new Error(`--limit must be a positive integer, got ${flags.limit}`);
  const { config, log } = loadCommandConfig('tail', { config: flags.config });
  const c = withServerEnv(config);
  if (c.streaming.kafka.brokers.length === 0) {
    throw new Error(
      'tail reads from Kafka, but the config has no streaming.kafka.brokers (and ALPHAFEED_KAFKA_BROKERS is unset); `alphafeed demo` prints the alphas of an embedded run',
    );
  }
  const codecs = loadEventCodecs();
  const bus = new KafkaBus({
    ...kafkaBusOptions(c, `${c.streaming.kafka.client_id}-tail`),
    ...kafkaLogging(log),
  });
  await bus.connect();
  let printed = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  // A throw-away group: tail never commits anything another reader depends on.
  const subscription = await bus.subscribe(
    {
      groupId: `${c.streaming.kafka.group_prefix}-tail-${randomUUID().slice(0, 8)}`,
      topics: [chosen.topic(c)],
      fromBeginning: flags.fromBeginning === true,
    },
    async (batch) => {
      for (const m of batch) {
        if (printed >= limit) break;
        try {
          process.stdout.write(`${chosen.line(codecs, m.value)}\n`);
        } catch (error) {
          log.warn(
            `skipped an undecodable message at ${m.topic}[${m.partition}]@${m.offset}: ${String(error)}`,
          );
          continue;
        }
        printed++;
      }
      if (printed >= limit) done();
    },
  );
  log.info(
    `tail: following ${chosen.topic(c)}${flags.fromBeginning ? ' from the beginning' : ''}; Ctrl-C to stop`,
  );
  runShutdownOnSignals(
    async () => {
      await subscription.close();
      await bus.close();
    },
    (message) => log.info(message),
  );
  await finished;
  await subscription.close();
  await bus.close();
}
