import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication, INestApplicationContext } from '@nestjs/common';
import { loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { createLogger } from '@alphafeed/ops';
import type { Logger } from '@alphafeed/ops';
import { nestLogger } from './nest.logger';
import { serviceLogger } from './runtime.module';
import { runShutdownOnSignals } from './shutdown';

/**
 * The config a service process runs with: the file named by
 * `ALPHAFEED_CONFIG` (or the first argument), with the servers from
 * `ALPHAFEED_KAFKA_BROKERS` (comma-separated) and `ALPHAFEED_QUESTDB_URL`
 * when set (Docker Compose passes them), validated once.
 */
export function loadServiceConfig(path = process.env.ALPHAFEED_CONFIG ?? process.argv[2]): RegionConfig {
  if (path === undefined || path === '') {
    throw new Error(
      'no config: set ALPHAFEED_CONFIG=config/us.yaml (or pass the path as the first argument)',
    );
  }
  return withServerEnv(loadConfig(path));
}

/** Applies ALPHAFEED_KAFKA_BROKERS / ALPHAFEED_QUESTDB_URL over the config. */
export function withServerEnv(config: RegionConfig, env: NodeJS.ProcessEnv = process.env): RegionConfig {
  const patch: Record<string, unknown> = {};
  const brokers = env.ALPHAFEED_KAFKA_BROKERS;
  const questdb = env.ALPHAFEED_QUESTDB_URL;
  if (brokers !== undefined && brokers !== '')
    patch.kafka = { brokers: brokers.split(',').map((b) => b.trim()) };
  if (questdb !== undefined && questdb !== '') patch.questdb = { http_url: questdb };
  return Object.keys(patch).length === 0
    ? config
    : overrideConfig(config, { streaming: patch }, 'environment');
}

/**
 * Starts a service module as an HTTP application (health, metrics) on
 * `port`, or as a bare application context when `port` is null (several
 * services in one process without HTTP). Nest's own messages go through
 * `logger`.
 */
export async function startServiceApp(
  module: DynamicModule,
  port: number | null,
  logger: Logger = createLogger({ service: 'nest', level: 'warn' }),
): Promise<INestApplication | INestApplicationContext> {
  const options = { logger: nestLogger(logger) };
  if (port === null) {
    const context = await NestFactory.createApplicationContext(module, options);
    await context.init();
    return context;
  }
  const app = await NestFactory.create(module, options);
  await app.listen(port, '0.0.0.0');
  return app;
}

/** `main.ts` of a service: config from the environment, HTTP on PORT, graceful stop on SIGTERM/SIGINT. */
export async function bootstrapService(
  service: string,
  defaultPort: number,
  moduleFor: (config: RegionConfig, runtime: { readonly logger: Logger }) => DynamicModule,
): Promise<void> {
  let logger = createLogger({ service });
  try {
    const config = loadServiceConfig();
    logger = serviceLogger(config, service);
    const port = Number(process.env.PORT ?? defaultPort);
    const app = await startServiceApp(moduleFor(config, { logger }), port, logger);
    logger.info(`up; GET http://127.0.0.1:${port}/health`, { port });
    runShutdownOnSignals(
      () => app.close(),
      (message) => logger.info(message),
    );
  } catch (error) {
    logger.error(`failed to start: ${error instanceof Error ? error.message : String(error)}`, {
      stack: error instanceof Error ? error.stack : undefined,
    });
    process.exit(1);
  }
}
