/** The scorer service's public surface for a composition root (`alphafeed serve`, `demo`, specs, benches). */
export { ScorerModule } from './scorer.module';
export { ScorerBarsConsumer, SCORER_SERVICE } from './bars.consumer';
export { ModelSwapUseCase } from './model-swap.use-case';
export { ScoreDateUseCase } from './score-date.use-case';
export { AlphasPublisher } from './alphas.publisher';
export type { ScoredRows } from './alphas.publisher';
