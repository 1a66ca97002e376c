/**
 * Nest injection tokens of the runtime. Symbols, not classes, because the
 * ports are interfaces and the adapters are chosen at start-up from the
 * config; every consumer injects with `@Inject(TOKEN)`, so no constructor
 * relies on decorator metadata.
 */
export const BUS = Symbol('alphafeed.bus');
export const STORE = Symbol('alphafeed.store');
export const CONFIG = Symbol('alphafeed.config');
export const CODECS = Symbol('alphafeed.codecs');
export const MODEL_REGISTRY = Symbol('alphafeed.model-registry');
/** `StreamOptions` of the date-driven consumers. */
export const STREAM_OPTIONS = Symbol('alphafeed.stream-options');
/** The service's `Logger` (@alphafeed/ops). */
export const LOGGER = Symbol('alphafeed.logger');
/** The service's `ServiceMetrics` (@alphafeed/ops). */
export const METRICS = Symbol('alphafeed.metrics');
