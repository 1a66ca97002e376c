/**
 * The trainer service as its own process:
 * `ALPHAFEED_CONFIG=config/us.yaml PORT=8083 node dist/services/trainer/src/main.js`
 * Trains on `training.schedule` and on `POST /train`.
 */
import 'reflect-metadata';
import { bootstrapService } from '@alphafeed/runtime';
import { TrainerModule } from './trainer.module';

if (require.main === module) {
  void bootstrapService('trainer', 8083, (config, runtime) => TrainerModule.forRoot(config, runtime));
}
