/** The trainer service's public surface for a composition root (`alphafeed serve`, `demo`, specs, benches). */
export { TrainerModule, TRAINER_SERVICE } from './trainer.module';
export { TrainUseCase } from './train.use-case';
export type { TrainingRun } from './train.use-case';
export { TrainingBusyError, NothingToTrainError } from './errors';
