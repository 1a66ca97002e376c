import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { configHash } from '@alphafeed/config';
import { loadEventCodecs } from '@alphafeed/codec';
import { ServiceMetrics, createLogger } from '@alphafeed/ops';
import type { Logger } from '@alphafeed/ops';
import {
  DependencyMonitor,
  ModelRegistry,
  closeBackends,
  openBackends,
  timedStore,
} from '@alphafeed/streaming';
import type { Backends } from '@alphafeed/streaming';
import { ClosedDateConsumers } from './closed-date.host';
import type { StreamOptions } from './closed-date.host';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health.registry';
import { MetricsController } from './metrics.controller';
import { BUS, CODECS, CONFIG, LOGGER, METRICS, MODEL_REGISTRY, STORE, STREAM_OPTIONS } from './tokens';

const BACKENDS = Symbol('alphafeed.backends');
const OWNS_BACKENDS = Symbol('alphafeed.owns-backends');

export interface RuntimeOptions extends StreamOptions {
  /**
   * Backends opened by the caller and shared by several services in one
   * process (`alphafeed serve`, `demo`): the caller closes them. Without
   * them the module opens its own from the config and closes them on
   * shutdown.
   */
  readonly backends?: Backends;
  /** Shared model registry (in-process hot swap between trainer and scorer). */
  readonly models?: ModelRegistry;
  /** The service's logger (default: the alphafeed logger with the service's context). */
  readonly logger?: Logger;
  /** Name in log lines, health and metrics. */
  readonly service: string;
}

/**
 * Watches bus and store from start-up (readiness, `alphafeed_dependency_up`,
 * a warning when one goes away) and closes the module's own backends last,
 * after every service stopped consuming.
 */
class BackendsLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly monitor: DependencyMonitor;

  constructor(
    @Inject(BACKENDS) private readonly backends: Backends,
    @Inject(OWNS_BACKENDS) private readonly owns: boolean,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: ServiceMetrics,
    @Inject(HealthRegistry) health: HealthRegistry,
  ) {
    this.monitor = new DependencyMonitor(
      [
        { name: `bus (${backends.kind.bus})`, ping: () => backends.bus.ping() },
        { name: `store (${backends.kind.store})`, ping: () => backends.store.ping() },
      ],
      { logger, metrics },
    );
    health.watch(this.monitor);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.monitor.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.monitor.stop();
    if (this.owns) await closeBackends(this.backends);
    else await this.backends.store.flush();
  }
}

/** The logger of a service: JSON lines (pretty on a terminal) with the service's region, config hash and git sha. */
export function serviceLogger(config: RegionConfig, service: string): Logger {
  return createLogger({
    service,
    region: config.region,
    configHash: configHash(config),
    level: config.log_level,
  });
}

/**
 * The Nest plumbing every streaming service imports: the config, the bus and
 * store adapters the config selects (Kafka + QuestDB when configured,
 * MemoryBus + EmbeddedStore otherwise), the Avro codecs, the model registry,
 * the logger, and `GET /health`. Global, so service modules inject the
 * tokens directly. The streaming machinery itself is @alphafeed/streaming.
 *
 * Shutdown order (with `app.enableShutdownHooks()`): services stop their
 * consumers in `beforeApplicationShutdown` (the batch in flight finishes,
 * its store writes complete, its offsets are committed), then this module
 * flushes the store and closes bus and store in `onApplicationShutdown`.
 */
@Module({})
export class RuntimeModule {
  static forConfig(config: RegionConfig, options: RuntimeOptions): DynamicModule {
    const logger = options.logger ?? serviceLogger(config, options.service);
    return {
      module: RuntimeModule,
      global: true,
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: logger },
        {
          provide: METRICS,
          useValue: new ServiceMetrics({ service: options.service, region: config.region }),
        },
        { provide: STREAM_OPTIONS, useValue: { cacheDates: options.cacheDates } satisfies StreamOptions },
        { provide: OWNS_BACKENDS, useValue: options.backends === undefined },
        {
          provide: BACKENDS,
          useFactory: async () => options.backends ?? (await openBackends(config, logger)),
        },
        { provide: BUS, useFactory: (b: Backends) => b.bus, inject: [BACKENDS] },
        {
          provide: STORE,
          useFactory: (b: Backends, metrics: ServiceMetrics) => timedStore(b.store, metrics),
          inject: [BACKENDS, METRICS],
        },
        { provide: CODECS, useFactory: () => loadEventCodecs() },
        { provide: MODEL_REGISTRY, useValue: options.models ?? new ModelRegistry() },
        { provide: HealthRegistry, useValue: new HealthRegistry() },
        ClosedDateConsumers,
        BackendsLifecycle,
      ],
      exports: [
        CONFIG,
        STREAM_OPTIONS,
        LOGGER,
        METRICS,
        BUS,
        STORE,
        CODECS,
        MODEL_REGISTRY,
        HealthRegistry,
        ClosedDateConsumers,
      ],
    };
  }
}
