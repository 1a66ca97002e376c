// The streaming core of the date-driven services, free of Nest: one date
// closer behind a port (single: cached archive; shared: the store), the
// runner, the bar archive, the store tables and frame readers, the backends.
export { closedDateFromBars, closedDateDigest, assembleDate } from './closed-date';
export type { ClosedDate, ClosedDateMeta } from './closed-date';
export { DateBuffer, storedValues } from './date-buffer';
export type { ArchivedDate, DateBarsPort } from './date-bars.port';
export { CachedDateBars } from './cached-date-bars';
export { StoreDateBars } from './store-date-bars';
export { DateCloser } from './date-closer';
export type { DateCloserOptions, ProcessedDate } from './date-closer';
export { admitEvents, closeDates } from './close-dates.operator';
export type { CloseDatesOptions } from './close-dates.operator';
export { ClosedDateRunner, groupByDay } from './closed-date.runner';
export type { DateProcessor, ResumePoint, ClosedDateRunnerOptions } from './closed-date.runner';
export { DateConsumer } from './date.consumer';
export type { DateConsumerOptions, DateConsumerReport } from './date.consumer';
export type { MarketEventsSource } from './market-events.stream';
export { BarArchive } from './bar.archive';
export { IndustryDictionary, industryCode } from './industry.dictionary';
export {
  featuresTable,
  LABELS_TABLE,
  DATES_TABLE,
  BARS_TABLE,
  MARKERS_TABLE,
  INDUSTRIES_TABLE,
  ALPHAS_TABLE,
  ALPHAS_PUBLISHED_TABLE,
} from './tables';
export {
  readCalendar,
  readServiceCalendar,
  recordedRows,
  readConsistent,
  readFeatureFrame,
  readLabelFrame,
} from './store.frames';
export type { ServiceCalendar } from './store.frames';
export { EngineDictionaries, hasValues } from './engine-dictionaries';
export { createFeatureEngine, createLabelEngine } from './engines';
export { readMembershipTable, engineMembership } from './stream-membership';
export { decodedMarketEvents, streamAdmission } from './market-events.stream';
export { ModelRegistry } from './model.registry';
export type { LoadedModelSet } from './model.registry';
export { consumerGroup } from './consumer-group';
export { ensureStreamingTopics } from './topics';
export { openBackends, closeBackends, kafkaLogging } from './backends';
export { kafkaBusOptions, questDbStoreOptions } from './backend-security';
export type { Backends } from './backends';
export { DependencyMonitor } from './dependency.monitor';
export type { Dependency, DependencyState, DependencyMonitorOptions } from './dependency.monitor';
export { timedStore } from './timed.store';
