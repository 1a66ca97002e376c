/**
 * The scorer service as its own process:
 * `ALPHAFEED_CONFIG=config/us.yaml PORT=8084 node dist/services/scorer/src/main.js`.
 */
import 'reflect-metadata';
import { bootstrapService } from '@alphafeed/runtime';
import { ScorerModule } from './scorer.module';

if (require.main === module) {
  void bootstrapService('scorer', 8084, (config, runtime) => ScorerModule.forRoot(config, runtime));
}
