import { Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { TrainUseCase } from './train.use-case';
import type { TrainingRun } from './train.use-case';

/** `POST /train`: train now; answers with the run once the model is published. */
@Controller('train')
export class TrainController {
  constructor(@Inject(TrainUseCase) private readonly train: TrainUseCase) {}

  @Post()
  @HttpCode(200)
  trainNow(): Promise<TrainingRun> {
    return this.train.run('on demand (POST /train)');
  }
}
