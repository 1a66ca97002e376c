export { BUS, STORE, CONFIG, CODECS, MODEL_REGISTRY, RUNTIME_LOGGER, STREAM_OPTIONS } from './tokens';
export type { StreamOptions } from './closed-date.consumer';
export { RuntimeModule } from './runtime.module';
export type { RuntimeOptions } from './runtime.module';
export { openBackends, closeBackends } from './backends';
export type { Backends } from './backends';
export { kafkaBusOptions, questDbStoreOptions } from './backend-security';
export { HealthRegistry } from './health.registry';
export type { HealthReport } from './health.registry';
export { HealthController } from './health.controller';
export { ModelRegistry } from './model.registry';
export type { LoadedModelSet } from './model.registry';
export { consoleRuntimeLogger } from './runtime.logger';
export type { RuntimeLogger, LogLevel } from './runtime.logger';
export {
  featuresTable,
  LABELS_TABLE,
  DATES_TABLE,
  BARS_TABLE,
  MARKERS_TABLE,
  INDUSTRIES_TABLE,
  ALPHAS_TABLE,
} from './tables';
export { BarArchive } from './bar.archive';
export { IndustryDictionary } from './industry.dictionary';
export { ClosedDateRunner } from './closed-date.runner';
export type { DateProcessor, ResumePoint } from './closed-date.runner';
export { ClosedDateConsumer } from './closed-date.consumer';
export type { ClosedDateConsumerDeps } from './closed-date.consumer';
export { startClosedDateStream } from './closed-dates.stream';
export type { ClosedDateStreamOptions } from './closed-dates.stream';
export { EngineDictionaries, hasValues } from './date-bars.adapter';
export { consumerGroup } from './consumer-group';
export { ensureStreamingTopics } from './topics';
export { runShutdownOnSignals } from './shutdown';
export { bootstrapService, startServiceApp, loadServiceConfig, withServerEnv } from './bootstrap';
export {
  readCalendar,
  readServiceCalendar,
  recordedRows,
  readConsistent,
  readFeatureFrame,
  readLabelFrame,
} from './store.frames';
export type { ServiceCalendar } from './store.frames';
export { ClosedDateConsumers, ClosedDateHost } from './closed-date.host';
export { AdminTokenGuard } from './admin-token.guard';
export { ProblemJsonFilter, ProblemException, PROBLEM_TYPE, toProblem } from './problem-json.filter';
export type { Problem } from './problem-json.filter';
