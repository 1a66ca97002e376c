/**
 * The portfolio service as its own process:
 * `ALPHAFEED_CONFIG=config/us.yaml PORT=8085 node dist/services/portfolio/src/main.js`.
 */
import 'reflect-metadata';
import { bootstrapService } from '@alphafeed/runtime';
import { PortfolioModule } from './portfolio.module';

if (require.main === module) {
  void bootstrapService('portfolio', 8085, (config, runtime) => PortfolioModule.forRoot(config, runtime));
}
