/**
 * The store tables the streaming services share, in one place so that the
 * writer (features, labels, scorer) and the readers (trainer, scorer, tail,
 * tests) agree on names and columns. Every table is keyed by
 * (region, date, instrument) plus its extra keys, so replays are upserts.
 */
import type { TableSpec } from '@alphafeed/store';

/**
 * Features of one date, one row per instrument left after carry-forward and
 * the NaN drop: the model features (preprocessed), then the raw style
 * exposures `beta_252`, `size`, `momentum` and `style_vol_60` (raw `vol_60`,
 * SPEC §2, the risk model's fourth style column, SPEC §10; named apart from
 * the preprocessed model feature `vol_60`).
 */
export function featuresTable(featureNames: readonly string[]): TableSpec {
  return {
    name: 'features',
    columns: [
      ...featureNames.map((name) => ({ name, kind: 'double' as const })),
      { name: 'beta_252', kind: 'double' },
      { name: 'size', kind: 'double' },
      { name: 'momentum', kind: 'double' },
      { name: 'style_vol_60', kind: 'double' },
      { name: 'carried', kind: 'long' },
      { name: 'revision', kind: 'long' },
    ],
    tags: [],
    extraKeys: [],
  };
}

/**
 * Matured labels: a row of horizon k for date t is written at the close of
 * t + k, never before (SPEC §4 maturity), so a reader with cut-off C sees
 * exactly the labels known at C. `horizon` is an extra key because the two
 * horizons of one (date, instrument) mature on different dates.
 */
export const LABELS_TABLE: TableSpec = {
  name: 'labels',
  columns: [
    { name: 'value', kind: 'double' },
    { name: 'carried', kind: 'long' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['horizon'],
  extraKeys: ['horizon'],
};

/**
 * One row per processed (service, date): the calendar the trainer needs
 * (dates with no feature row still count as trading days for the embargo),
 * the revision and bar digest of the last emission (`closedDateDigest`), and
 * the restart point of each service.
 * `instrument` is the service name (the store keys every row by one).
 */
export const DATES_TABLE: TableSpec = {
  name: 'closed_dates',
  columns: [
    { name: 'bar_count', kind: 'long' },
    { name: 'rows', kind: 'long' },
    { name: 'revision', kind: 'long' },
    { name: 'timed_out', kind: 'long' },
    { name: 'digest', kind: 'long' },
  ],
  tags: [],
  extraKeys: [],
};

/**
 * The write-ahead copy of every bar a service consumed, so that a date still
 * open when the consumer committed its offsets survives a restart, and so a
 * restatement can rebuild the incremental engines. `industry` is an id into
 * the service's `industries` dictionary; `service` keeps the consumers
 * independent (each owns its dictionary and its restart point).
 */
export const BARS_TABLE: TableSpec = {
  name: 'bars_ahead',
  columns: [
    { name: 'open', kind: 'double' },
    { name: 'high', kind: 'double' },
    { name: 'low', kind: 'double' },
    { name: 'close', kind: 'double' },
    { name: 'volume', kind: 'double' },
    { name: 'amount', kind: 'double' },
    { name: 'shares_out', kind: 'double' },
    { name: 'industry', kind: 'long' },
  ],
  tags: ['service'],
  extraKeys: ['service'],
};

/** Written-ahead end-of-day markers (instrument = region code). */
export const MARKERS_TABLE: TableSpec = {
  name: 'markers_ahead',
  columns: [{ name: 'bar_count', kind: 'long' }],
  tags: ['service'],
  extraKeys: ['service'],
};

/** Industry dictionary of a service: instrument = industry name, date = 1970-01-01. */
export const INDUSTRIES_TABLE: TableSpec = {
  name: 'industries',
  columns: [{ name: 'code', kind: 'long' }],
  tags: ['service'],
  extraKeys: ['service'],
};

/** Published alphas (bps), one row per (date, instrument, model_version). */
export const ALPHAS_TABLE: TableSpec = {
  name: 'alphas',
  columns: [
    { name: 'alpha_21d', kind: 'double' },
    { name: 'alpha_63d', kind: 'double' },
    { name: 'alpha_combined', kind: 'double' },
    { name: 'var_21d', kind: 'double' },
    { name: 'var_63d', kind: 'double' },
    { name: 'revision', kind: 'long' },
  ],
  tags: ['model_version', 'config_hash'],
  extraKeys: ['model_version'],
};

/**
 * The scorer's publication ledger (outbox), one row per (date, model
 * version: `instrument` is the model version): the revision and row count of
 * the alphas it wrote for the date and the sequence of the Kafka transaction
 * that publishes them. A row is written after the date's alpha rows and
 * before its transaction; the transaction advances the bus ledger to the
 * sequence with the events, atomically, so `sequence <= ledger` means
 * published and a larger one "written, not (yet) published": a restarted or
 * taking-over scorer publishes those again from the `alphas` rows. Readers
 * of a date's alphas (a portfolio service) find here how many rows to wait
 * for (`rows`) at which `revision`.
 */
export const ALPHAS_PUBLISHED_TABLE: TableSpec = {
  name: 'alphas_published',
  columns: [
    { name: 'revision', kind: 'long' },
    { name: 'rows', kind: 'long' },
    { name: 'sequence', kind: 'long' },
  ],
  tags: [],
  extraKeys: [],
};
