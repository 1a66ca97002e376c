import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { RegionConfig } from '@alphafeed/config';
import { AdminTokenGuard, RuntimeModule } from '@alphafeed/runtime';
import type { RuntimeOptions } from '@alphafeed/runtime';
import { ModelTrainedPublisher } from './model-trained.publisher';
import { TrainController } from './train.controller';
import { TrainUseCase } from './train.use-case';
import { TrainingScheduler } from './training.scheduler';

export const TRAINER_SERVICE = 'trainer';

/** The trainer service: store in, model sets and `ModelTrained` out, on a schedule and on demand. */
@Module({})
export class TrainerModule {
  static forRoot(config: RegionConfig, runtime: Omit<RuntimeOptions, 'service'> = {}): DynamicModule {
    return {
      module: TrainerModule,
      imports: [RuntimeModule.forConfig(config, { ...runtime, service: TRAINER_SERVICE })],
      controllers: [TrainController],
      providers: [ModelTrainedPublisher, TrainUseCase, TrainingScheduler, AdminTokenGuard],
      exports: [TrainUseCase],
    };
  }
}
