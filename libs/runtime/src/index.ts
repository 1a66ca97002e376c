// Nest at the edge: the module, its tokens, health and bootstrap of the
// streaming services. The streaming machinery is @alphafeed/streaming.
export { BUS, STORE, CONFIG, CODECS, MODEL_REGISTRY, LOGGER, METRICS, STREAM_OPTIONS } from './tokens';
export { RuntimeModule, serviceLogger } from './runtime.module';
export type { RuntimeOptions } from './runtime.module';
export { HealthRegistry } from './health.registry';
export type { HealthReport, HealthAnswer } from './health.registry';
export { HealthController } from './health.controller';
export { MetricsController } from './metrics.controller';
export { nestLogger } from './nest.logger';
export { ClosedDateConsumers, ClosedDateHost } from './closed-date.host';
export type { StreamOptions } from './closed-date.host';
export { runShutdownOnSignals } from './shutdown';
export { bootstrapService, startServiceApp, loadServiceConfig, withServerEnv } from './bootstrap';
export { AdminTokenGuard } from './admin-token.guard';
export { ProblemJsonFilter, ProblemException, PROBLEM_TYPE, toProblem } from './problem-json.filter';
export type { Problem } from './problem-json.filter';
