import { Controller, HttpCode, Inject, Post, UseFilters, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, ProblemJsonFilter } from '@alphafeed/runtime';
import { trainingProblem } from './training.problems';
import { TrainUseCase } from './train.use-case';
import type { TrainingRun } from './train.use-case';

/**
 * `POST /train`: train now; answers with the run once the model is
 * published. An admin endpoint: bearer token (AdminTokenGuard); failures
 * are `application/problem+json` with the reason (409 a run is going, 422 too
 * little history / no matured labels, 401/403 token, 503 store or bus down).
 */
@Controller('train')
@UseGuards(AdminTokenGuard)
@UseFilters(ProblemJsonFilter)
export class TrainController {
  constructor(@Inject(TrainUseCase) private readonly train: TrainUseCase) {}

  @Post()
  @HttpCode(200)
  async trainNow(): Promise<TrainingRun> {
    try {
      return await this.train.start('on demand (POST /train)');
    } catch (error) {
      throw trainingProblem(error);
    }
  }
}
