/** The labels service's public surface for a composition root (`alphafeed serve`, `demo`, specs, benches). */
export { LabelsModule } from './labels.module';
export { BarsConsumer as LabelsBarsConsumer, LABELS_SERVICE } from './bars.consumer';
