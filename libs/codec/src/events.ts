/**
 * TypeScript shapes of the alphafeed events, field for field as in
 * schemas/*.avsc (snake_case, so a decoded record is used as is with no
 * per-message renaming, and matches what Python or Java subscribers see).
 *
 * Dates are day numbers (days since 1970-01-01 UTC, Avro `date`), the same
 * Int32 the store port and the panels use; convert at the edges with
 * `parseIsoDay` / `formatIsoDay` from @alphafeed/core. Timestamps are epoch
 * milliseconds (Avro `timestamp-millis`). Optional values are `null`, never
 * `undefined` or NaN; NaN in a required double means "not available".
 */

export interface BarEvent {
  region: string;
  date: number;
  instrument: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  amount: number | null;
  shares_out: number | null;
  factor: number | null;
  industry: string | null;
}

export interface EndOfDayEvent {
  region: string;
  date: number;
  bar_count: number;
}

export interface AlphaEvent {
  date: number;
  instrument: string;
  region: string;
  alpha_21d: number;
  alpha_63d: number;
  alpha_combined: number;
  var_21d: number;
  var_63d: number;
  model_version: string;
  config_hash: string;
  revision: number;
}

export interface TargetWeightsEvent {
  region: string;
  date: number;
  instrument: string;
  weight: number;
  previous_weight: number;
  model_id: string;
  revision: number;
  config_hash: string;
  status: string;
  reason: string | null;
  ex_ante_vol: number;
}

export interface ModelTrainedEvent {
  region: string;
  model_version: string;
  config_hash: string;
  git_sha: string;
  /** Epoch milliseconds. */
  trained_at: number;
  data_start: number;
  data_end: number;
  label_cutoff: number;
  artifact_path: string;
  cv: Record<string, number>;
}

export interface DeadLetterEvent {
  source_topic: string;
  partition: number;
  /** Kafka offset; avsc longs are JS numbers, so it must stay below 2^53 - 1. */
  offset: number;
  key: Buffer | null;
  payload: Buffer;
  reason: string;
  error_code: string;
  /** Epoch milliseconds. */
  failed_at: number;
  service: string;
}

/** Schema file names (without `.avsc`) and the event each one carries. */
export interface EventsBySchema {
  Bar: BarEvent;
  EndOfDay: EndOfDayEvent;
  Alpha: AlphaEvent;
  ModelTrained: ModelTrainedEvent;
  TargetWeights: TargetWeightsEvent;
  DeadLetter: DeadLetterEvent;
}

export type EventSchemaName = keyof EventsBySchema;
export const EVENT_SCHEMA_NAMES: readonly EventSchemaName[] = [
  'Bar',
  'EndOfDay',
  'Alpha',
  'ModelTrained',
  'TargetWeights',
  'DeadLetter',
];
