import { createLogger } from '@alphafeed/ops';
import type { Logger } from '@alphafeed/ops';

/**
 * The one logging need of the pipeline: a warning channel for conditions an
 * operator should look at but that must not stop the stream (a bus
 * subscription that did not close cleanly). It is the alphafeed logger
 * (@alphafeed/ops); inject the service's.
 */
export type PipelineLogger = Pick<Logger, 'warn'>;

let fallback: Logger | undefined;

/** The logger used when none is injected: the alphafeed logger of service `pipeline`. */
export function defaultPipelineLogger(): PipelineLogger {
  return (fallback ??= createLogger({ service: 'pipeline' }));
}
