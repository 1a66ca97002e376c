import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationShutdown } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { loadEventCodecs } from '@alphafeed/codec';
import { closeBackends, openBackends } from './backends';
import type { Backends } from './backends';
import { ClosedDateConsumers } from './closed-date.host';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health.registry';
import { ModelRegistry } from './model.registry';
import { consoleRuntimeLogger } from './runtime.logger';
import { BUS, CODECS, CONFIG, MODEL_REGISTRY, RUNTIME_LOGGER, STORE, STREAM_OPTIONS } from './tokens';

const BACKENDS = Symbol('alphafeed.backends');
const OWNS_BACKENDS = Symbol('alphafeed.owns-backends');

export interface RuntimeOptions {
  /**
   * Backends opened by the caller and shared by several services in one
   * process (`alphafeed serve`, `demo`): the caller closes them. Without
   * them the module opens its own from the config and closes them on
   * shutdown.
   */
  readonly backends?: Backends;
  /** Shared model registry (in-process hot swap between trainer and scorer). */
  readonly models?: ModelRegistry;
  /**
   * Closed dates whose bars `closeDates` keeps for restatements (default
   * 300). A bar for an older date is dead-lettered `restatement_too_old`,
   * even an identical one, so a full-history replay on top of a running
   * pipeline needs a window covering the history (about 60 bytes per bar).
   */
  readonly restatementWindow?: number;
  /** Name in log lines. */
  readonly service: string;
}

/** Closes the module's own backends last, after every service stopped consuming. */
class BackendsLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(BACKENDS) private readonly backends: Backends,
    @Inject(OWNS_BACKENDS) private readonly owns: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.owns) await closeBackends(this.backends);
    else await this.backends.store.flush();
  }
}

/**
 * The Nest plumbing every streaming service imports: the config, the bus and
 * store adapters the config selects (Kafka + QuestDB when configured,
 * MemoryBus + EmbeddedStore otherwise), the Avro codecs, the model registry,
 * and `GET /health`. Global, so service modules inject the tokens directly.
 *
 * Shutdown order (with `app.enableShutdownHooks()`): services stop their
 * consumers in `beforeApplicationShutdown` (the batch in flight finishes,
 * its store writes complete, its offsets are committed), then this module
 * flushes the store and closes bus and store in `onApplicationShutdown`.
 */
@Module({})
export class RuntimeModule {
  static forConfig(config: RegionConfig, options: RuntimeOptions): DynamicModule {
    const logger = consoleRuntimeLogger(options.service, config.log_level);
    return {
      module: RuntimeModule,
      global: true,
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: RUNTIME_LOGGER, useValue: logger },
        { provide: STREAM_OPTIONS, useValue: { restatementWindow: options.restatementWindow } },
        { provide: OWNS_BACKENDS, useValue: options.backends === undefined },
        { provide: BACKENDS, useFactory: async () => options.backends ?? (await openBackends(config)) },
        { provide: BUS, useFactory: (b: Backends) => b.bus, inject: [BACKENDS] },
        { provide: STORE, useFactory: (b: Backends) => b.store, inject: [BACKENDS] },
        { provide: CODECS, useFactory: () => loadEventCodecs() },
        { provide: MODEL_REGISTRY, useValue: options.models ?? new ModelRegistry() },
        { provide: HealthRegistry, useValue: new HealthRegistry() },
        ClosedDateConsumers,
        BackendsLifecycle,
      ],
      exports: [
        CONFIG,
        STREAM_OPTIONS,
        RUNTIME_LOGGER,
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
