import { Inject, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { HealthRegistry, RuntimeModule } from '@alphafeed/runtime';
import type { RuntimeOptions } from '@alphafeed/runtime';
import { AlphasPublisher } from './alphas.publisher';
import { ScorerBarsConsumer, SCORER_SERVICE } from './bars.consumer';
import { ModelSetHolder } from './model-set.holder';
import { ModelSwapUseCase } from './model-swap.use-case';
import { ModelsConsumer } from './models.consumer';
import { ScoreDateUseCase } from './score-date.use-case';

/** Adds the scorer's own figures to /health next to the consumer's. */
class ScorerHealth implements OnApplicationBootstrap {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(ModelSwapUseCase) private readonly swap: ModelSwapUseCase,
    @Inject(AlphasPublisher) private readonly publisher: AlphasPublisher,
    @Inject(ScoreDateUseCase) private readonly score: ScoreDateUseCase,
    @Inject(ModelsConsumer) private readonly models: ModelsConsumer,
  ) {}

  onApplicationBootstrap(): void {
    this.health.register('model', () => ({
      ok: this.models.failure === null,
      ready: this.swap.current !== null,
      reason:
        this.swap.current === null
          ? 'no model set loaded yet (train one: POST /train on the trainer)'
          : undefined,
      error: this.models.failure ?? undefined,
      model_version: this.swap.current,
      alphas_published: this.publisher.count,
      last_score_ms: this.score.lastScoreMs,
    }));
  }
}

/** The scorer service: bars + models in, Alpha events and the alphas table out. */
@Module({})
export class ScorerModule {
  static forRoot(config: RegionConfig, runtime: Omit<RuntimeOptions, 'service'> = {}): DynamicModule {
    return {
      module: ScorerModule,
      imports: [RuntimeModule.forConfig(config, { ...runtime, service: SCORER_SERVICE })],
      providers: [
        ModelSetHolder,
        AlphasPublisher,
        ScoreDateUseCase,
        ModelSwapUseCase,
        ScorerBarsConsumer,
        ModelsConsumer,
        ScorerHealth,
      ],
      exports: [ScorerBarsConsumer, ModelSwapUseCase, AlphasPublisher],
    };
  }
}
