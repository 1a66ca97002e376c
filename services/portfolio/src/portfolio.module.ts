import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { HealthRegistry, RuntimeModule } from '@alphafeed/runtime';
import type { RuntimeOptions } from '@alphafeed/runtime';
import { PortfolioBarsConsumer } from './bars.consumer';
import { DateAlphasReader } from './date-alphas.reader';
import { ModelCatalog } from './model-catalog';
import { PORTFOLIO_SERVICE, PortfolioModelsConsumer } from './models.consumer';
import { PORTFOLIO_ENGINE_FACTORY, createPortfolioEngine } from './portfolio-engine.factory';
import type { PortfolioEngineFactory } from './portfolio-engine.factory';
import { RebalanceDateUseCase } from './rebalance-date.use-case';
import { TargetsPublisher } from './targets.publisher';

/** Adds the portfolio's own figures to /health next to the consumer's. */
class PortfolioHealth implements OnApplicationBootstrap {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(RebalanceDateUseCase) private readonly useCase: RebalanceDateUseCase,
    @Inject(TargetsPublisher) private readonly publisher: TargetsPublisher,
    @Inject(ModelCatalog) private readonly catalog: ModelCatalog,
    @Inject(PortfolioModelsConsumer) private readonly models: PortfolioModelsConsumer,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('portfolio', () => ({
      ok: this.models.failure === null,
      error: this.models.failure ?? undefined,
      models_known: this.catalog.size,
      targets_published: this.publisher.count,
      last_decision: this.useCase.lastDecision,
      last_step_ms: this.useCase.lastStepMs,
    }));
  }
}

export interface PortfolioModuleOptions extends Omit<RuntimeOptions, 'service'> {
  /** The engine (default: `@alphafeed/portfolio`'s, configured from `config.portfolio`). */
  readonly engine?: PortfolioEngineFactory;
}

/** The portfolio service: bars, alphas and models in; TargetWeights events and the target_weights table out. */
@Module({})
export class PortfolioModule {
  static forRoot(config: RegionConfig, options: PortfolioModuleOptions = {}): DynamicModule {
    const { engine, ...runtime } = options;
    return {
      module: PortfolioModule,
      imports: [RuntimeModule.forConfig(config, { ...runtime, service: PORTFOLIO_SERVICE })],
      providers: [
        { provide: PORTFOLIO_ENGINE_FACTORY, useValue: engine ?? createPortfolioEngine },
        ModelCatalog,
        DateAlphasReader,
        TargetsPublisher,
        RebalanceDateUseCase,
        PortfolioBarsConsumer,
        PortfolioModelsConsumer,
        PortfolioHealth,
      ],
      exports: [PortfolioBarsConsumer, TargetsPublisher, ModelCatalog],
    };
  }
}
