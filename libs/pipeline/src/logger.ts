/**
 * The one logging dependency of the pipeline: a warning channel. Operators
 * warn about conditions an operator should look at (an end-of-day marker that
 * never completed, a marker contradicting a closed date) but that must not stop
 * the stream. Inject your service logger; the default writes to stderr.
 */
export interface PipelineLogger {
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

export const consoleLogger: PipelineLogger = {
  warn(message, fields) {
    if (fields === undefined) console.warn(message);
    else console.warn(message, fields);
  },
};
