/** The features service's public surface for a composition root (`alphafeed serve`, `demo`, specs, benches). */
export { FeaturesModule } from './features.module';
export { BarsConsumer as FeaturesBarsConsumer, FEATURES_SERVICE } from './bars.consumer';
