/**
 * The store port: where features, matured labels and alphas live. Adapters:
 * QuestDB (WAL tables, DEDUP UPSERT KEYS, ILP in and SQL out) and an embedded
 * file store for the default run. Every write is an upsert on
 * (region, date, instrument) plus the table's extra keys, so replaying the same
 * input leaves the same state.
 */

/** A columnar batch of keyed rows. Strings are dictionaries, numbers are typed arrays. */
export interface KeyedColumns {
  readonly region: string;
  readonly length: number;
  /** Day numbers (days since 1970-01-01 UTC), see @alphafeed/core parseIsoDay. */
  readonly date: Int32Array;
  /** Index into `instruments`. */
  readonly instrument: Int32Array;
  readonly instruments: readonly string[];
  /** Numeric columns by name, each of `length`; NaN means not available. */
  readonly columns: Readonly<Record<string, Float64Array>>;
  /** Text attributes shared by every row of the batch (e.g. model_version, config_hash). */
  readonly tags?: Readonly<Record<string, string>>;
}

export type ColumnKind = 'double' | 'long';

export interface TableSpec {
  readonly name: string;
  /** Numeric columns in order. */
  readonly columns: readonly { readonly name: string; readonly kind: ColumnKind }[];
  /** Text attribute columns (SYMBOL in QuestDB) that come from `tags`. */
  readonly tags: readonly string[];
  /** Extra dedup keys beyond (date, region, instrument), among `tags`. */
  readonly extraKeys: readonly string[];
}

export interface ReadQuery {
  readonly region: string;
  /** Inclusive ISO date bounds. */
  readonly from?: string;
  readonly to?: string;
  /** Equality filters on tag columns. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface StorePort {
  /** Creates the tables that do not exist yet. */
  ensureTables(tables: readonly TableSpec[]): Promise<void>;
  /** Upserts the rows; resolves when they are durable in the store. */
  write(table: string, rows: KeyedColumns): Promise<void>;
  /**
   * Rows sorted by (date, instrument); for tables with extra keys the last
   * written version per key. Waits for pending writes to be visible.
   */
  read(table: string, query: ReadQuery): Promise<KeyedColumns>;
  /** Makes every accepted write durable and visible. */
  flush(): Promise<void>;
  /**
   * Waits until every write to these tables that any writer (this client or
   * another process) had committed when the call began is visible to reads:
   * a restarted consumer reads what its predecessor wrote (QuestDB applies
   * WAL transactions asynchronously; the embedded store is always in sync).
   */
  sync(tables: readonly string[]): Promise<void>;
  /** Resolves when the store answers, rejects with the reason otherwise, within a few seconds (readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
