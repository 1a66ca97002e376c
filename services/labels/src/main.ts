/**
 * The labels service as its own process:
 * `ALPHAFEED_CONFIG=config/us.yaml PORT=8082 node dist/services/labels/src/main.js`.
 */
import 'reflect-metadata';
import { bootstrapService } from '@alphafeed/runtime';
import { LabelsModule } from './labels.module';

if (require.main === module) {
  void bootstrapService('labels', 8082, (config, runtime) => LabelsModule.forRoot(config, runtime));
}
