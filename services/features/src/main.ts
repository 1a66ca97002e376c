/**
 * The features service as its own process:
 * `ALPHAFEED_CONFIG=config/us.yaml PORT=8081 node dist/services/features/src/main.js`.
 */
import 'reflect-metadata';
import { bootstrapService } from '@alphafeed/runtime';
import { FeaturesModule } from './features.module';

if (require.main === module) {
  void bootstrapService('features', 8081, (config, runtime) => FeaturesModule.forRoot(config, runtime));
}
