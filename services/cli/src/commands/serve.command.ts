/**
 * `alphafeed serve [--only features,labels,trainer,scorer,portfolio]`: runs the
 * streaming services in one process. Embedded mode (no brokers / no QuestDB
 * URL in the config): one MemoryBus and one EmbeddedStore shared by all of
 * them. Kafka mode: each service still uses its own consumer group and its
 * own connections, exactly as if it ran alone.
 */
import type { Command } from 'commander';
import type { DynamicModule, INestApplicationContext } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { runShutdownOnSignals, serviceLogger, startServiceApp, withServerEnv } from '@alphafeed/runtime';
import type { RuntimeOptions } from '@alphafeed/runtime';
import { FeaturesModule } from '@alphafeed/service-features';
import { LabelsModule } from '@alphafeed/service-labels';
import { PortfolioModule } from '@alphafeed/service-portfolio';
import { ScorerModule } from '@alphafeed/service-scorer';
import { TrainerModule } from '@alphafeed/service-trainer';
import { ModelRegistry, closeBackends, openBackends } from '@alphafeed/streaming';
import type { Backends } from '@alphafeed/streaming';
import { loadCommandConfig } from '../input';

export const SERVICE_NAMES = ['features', 'labels', 'trainer', 'scorer', 'portfolio'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

const MODULES: Record<
  ServiceName,
  (config: RegionConfig, runtime: Omit<RuntimeOptions, 'service'>) => DynamicModule
> = {
  features: (c, r) => FeaturesModule.forRoot(c, r),
  labels: (c, r) => LabelsModule.forRoot(c, r),
  trainer: (c, r) => TrainerModule.forRoot(c, r),
  scorer: (c, r) => ScorerModule.forRoot(c, r),
  portfolio: (c, r) => PortfolioModule.forRoot(c, r),
};

const DEFAULT_PORTS: Record<ServiceName, number> = {
  features: 8081,
  labels: 8082,
  trainer: 8083,
  scorer: 8084,
  portfolio: 8085,
};

export interface RunningServices {
  readonly apps: Partial<Record<ServiceName, INestApplicationContext>>;
  readonly backends: Backends | null;
  /** Stops every service (each finishes its batch, flushes, commits), then the shared backends. */
  close(): Promise<void>;
}

export interface StartServicesOptions {
  readonly only?: readonly ServiceName[];
  /** HTTP port of the first service started (the next ones on base+1, base+2, ...); null = no HTTP. */
  readonly basePort?: number | null;
  /** Processed dates whose bars a `single` consumer keeps in memory for corrections (default 300). */
  readonly cacheDates?: number;
}

/**
 * Starts the services in one process. In embedded mode the bus and store are
 * opened once and shared (a MemoryBus only connects the services that hold
 * it), and trainer and scorer share the model registry, so a trained model
 * is hot-swapped in without a reload.
 */
export async function startServices(
  config: RegionConfig,
  options: StartServicesOptions = {},
): Promise<RunningServices> {
  const names = options.only ?? SERVICE_NAMES;
  const embedded = config.streaming.kafka.brokers.length === 0 || config.streaming.questdb.http_url === null;
  const backends = embedded ? await openBackends(config, serviceLogger(config, 'serve')) : null;
  const models = new ModelRegistry();
  const apps: Partial<Record<ServiceName, INestApplicationContext>> = {};
  const started: INestApplicationContext[] = [];
  try {
    for (const name of SERVICE_NAMES) {
      if (!names.includes(name)) continue;
      const port =
        options.basePort === null || options.basePort === undefined
          ? null
          : options.basePort + started.length;
      const logger = serviceLogger(config, name);
      const app = await startServiceApp(
        MODULES[name](config, {
          backends: backends ?? undefined,
          models,
          cacheDates: options.cacheDates,
          logger,
        }),
        port,
        logger,
      );
      apps[name] = app;
      started.push(app);
    }
  } catch (error) {
    for (const app of started.reverse()) await app.close().catch(() => undefined);
    if (backends !== null) await closeBackends(backends).catch(() => undefined);
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    apps,
    backends,
    close: () =>
      (closing ??= (async () => {
        for (const app of [...started].reverse()) await app.close();
        models.disposeAll();
        if (backends !== null) await closeBackends(backends);
      })()),
  };
}

interface ServeFlags {
  readonly config: string;
  readonly only?: string;
  readonly port: string;
  readonly http: boolean;
}

export function parseOnly(text: string | undefined): ServiceName[] | undefined {
  if (text === undefined) return undefined;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const n of names) {
    if (!(SERVICE_NAMES as readonly string[]).includes(n))
      throw new Error(`--only: unknown service "${n}"; choose from ${SERVICE_NAMES.join(', ')}`);
  }
  return names as ServiceName[];
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      'Run the streaming services (features, labels, trainer, scorer, portfolio) in one process until SIGTERM/SIGINT',
    )
    .requiredOption('--config <path>', 'region config (YAML)')
    .option('--only <services>', `comma-separated subset of ${SERVICE_NAMES.join(',')}`)
    .option(
      '--port <n>',
      `health port of the first service started, the next ones +1 each (all five: features ${DEFAULT_PORTS.features}, labels +1, trainer +2, scorer +3, portfolio +4)`,
      String(DEFAULT_PORTS.features),
    )
    .option('--no-http', 'no health endpoints (no ports opened)')
    .action((flags: ServeFlags) => runServe(flags));
}

async function runServe(flags: ServeFlags): Promise<void> {
  const input = loadCommandConfig('serve', { config: flags.config });
  const config = withServerEnv(input.config);
  const only = parseOnly(flags.only);
  const basePort = flags.http ? Number(flags.port) : null;
  // Signals during start-up wait for it, then close what started.
  let starting: Promise<RunningServices> | null = null;
  const stopped = new Promise<void>((resolve) =>
    runShutdownOnSignals(
      async () => (await starting)?.close().then(resolve),
      (message) => input.log.info(message),
    ),
  );
  starting = startServices(config, { only, basePort });
  await starting;
  const names = SERVICE_NAMES.filter((n) => (only ?? SERVICE_NAMES).includes(n));
  input.log.info(
    `serving ${names.join(', ')} on ${config.streaming.kafka.brokers.length > 0 ? `Kafka ${config.streaming.kafka.brokers.join(',')}` : 'the in-memory bus'}` +
      (basePort === null
        ? ''
        : `; health on ${names.map((_, k) => `http://127.0.0.1:${basePort + k}/health`).join(' ')}`),
  );
  await stopped;
}
