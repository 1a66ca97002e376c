import { PollTimeoutError, poll } from '@alphafeed/ops';
import { StoreError } from './errors';
import { ColumnsBuilder } from './questdb.columns';
import { CsvStreamParser } from './questdb.csv-reader';
import { QuestDbHttp, refused, unreachable } from './questdb.http';
import { QuestDbClientWriter } from './questdb.client-writer';
import { IlpBatchEncoder, IlpHttpWriter } from './questdb.ilp';
import {
  resolveQuestDbStoreOptions,
  type QuestDbStoreOptions,
  type ResolvedQuestDbStoreOptions,
} from './questdb.options';
import { checkIdentifier, checkTableSpec, createTableSql, readPlan, sqlType } from './questdb.sql';
import type { KeyedColumns, ReadQuery, StorePort, TableSpec } from './store.port';

/**
 * The store on a QuestDB server.
 *
 * - Tables are WAL tables partitioned by month, `ts` (the date at 00:00 UTC)
 *   designated, with DEDUP UPSERT KEYS(ts, region, instrument, extra keys):
 *   writing a row again replaces it, so replays are idempotent.
 * - Writes go over ILP/HTTP (`POST /write`, protocol v2: doubles in binary, so
 *   they round-trip exactly; the lines are built by `IlpBatchEncoder`, the same
 *   bytes as @questdb/nodejs-client writes, about 10x cheaper per row), one
 *   request per `rowsPerRequest` rows, each one committed WAL transaction when
 *   the request returns. NaN is sent as-is for doubles (QuestDB stores it as
 *   NULL) and omitted for longs.
 * - QuestDB applies WAL transactions asynchronously: `flush()` and `read()`
 *   wait until `wal_tables()` shows every transaction of the tables written
 *   through this store applied, and fail clearly if a table is suspended.
 * - Reads stream `/exp` CSV (measured faster than `/exec` JSON, see
 *   deploy/README.md) straight into typed arrays.
 */
export class QuestDbStore implements StorePort {
  private readonly options: ResolvedQuestDbStoreOptions;
  private readonly http: QuestDbHttp;
  private readonly specs = new Map<string, TableSpec>();
  /** Tables written since their WAL was last seen applied. */
  private readonly pending = new Set<string>();
  private writer: IlpHttpWriter | undefined;
  private clientWriter: QuestDbClientWriter | undefined;
  /** Writes share one ILP buffer, so they run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(options: QuestDbStoreOptions) {
    this.options = resolveQuestDbStoreOptions(options);
    this.http = new QuestDbHttp(this.options);
  }

  /**
   * Creates missing tables and adds columns a spec gained since the table was
   * created (a new feature); a column whose type changed is an error, since
   * QuestDB cannot convert it in place without a decision about old data.
   */
  async ensureTables(tables: readonly TableSpec[]): Promise<void> {
    this.checkOpen();
    for (const spec of tables) checkTableSpec(spec);
    for (const spec of tables) {
      await this.http.exec(createTableSql(spec));
      const existing = await this.columnTypes(spec.name);
      const wanted: [string, string][] = [
        ...spec.tags.map((t): [string, string] => [t, 'SYMBOL']),
        ...spec.columns.map((c): [string, string] => [c.name, sqlType(c.kind)]),
      ];
      for (const [name, type] of wanted) {
        const have = existing.get(name.toLowerCase());
        if (have === undefined) await this.http.exec(`ALTER TABLE ${spec.name} ADD COLUMN ${name} ${type}`);
        else if (have !== type) {
          throw new StoreError(
            'STORE_SCHEMA',
            `table ${spec.name} already has column ${name} as ${have}, the spec wants ${type}; drop or rename the table (DROP TABLE ${spec.name}) or the column`,
          );
        }
      }
      this.specs.set(spec.name, spec);
    }
  }

  /** Resolves once the rows are committed to the table's WAL (durable); see flush() for visibility. */
  async write(table: string, rows: KeyedColumns): Promise<void> {
    this.checkOpen();
    const spec = this.spec(table);
    checkRows(spec, rows);
    // Queued synchronously (before any await), so writes keep their call order.
    const run = this.queue.then(() => this.writeNow(spec, rows));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async read(table: string, query: ReadQuery): Promise<KeyedColumns> {
    this.checkOpen();
    const spec = this.spec(table);
    const plan = readPlan(spec, query);
    await this.queue;
    if (this.pending.has(table)) await this.waitApplied([table]);
    const builder = new ColumnsBuilder(
      plan.numericColumns,
      plan.tagColumns,
      plan.mayBeAmbiguous ? spec : undefined,
    );
    const parser = new CsvStreamParser(builder);
    for await (const text of this.http.exportCsv(plan.sql)) parser.push(text);
    parser.end();
    return builder.build(query.region, query.tags ?? {});
  }

  async ping(): Promise<void> {
    this.checkOpen();
    await this.http.ping();
  }

  /** Waits for writes in progress, then until QuestDB has applied them (visible to reads). */
  async flush(): Promise<void> {
    this.checkOpen();
    await this.queue;
    if (this.pending.size > 0) await this.waitApplied([...this.pending]);
  }

  async sync(tables: readonly string[]): Promise<void> {
    this.checkOpen();
    await this.queue;
    if (tables.length > 0) await this.waitApplied(tables);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    this.writer?.close();
    this.writer = undefined;
    await this.clientWriter?.close();
    this.clientWriter = undefined;
  }

  private async writeNow(spec: TableSpec, rows: KeyedColumns): Promise<void> {
    const n = rows.length;
    if (n === 0) return;
    const o = this.options;
    const per = o.rowsPerRequest;
    this.pending.add(spec.name);
    try {
      // Rows of earlier requests of this call are committed when a later one fails; the caller may retry the whole write: it is idempotent.
      if (o.ilpWriter === 'client') {
        const client = (this.clientWriter ??= new QuestDbClientWriter(
          o.host,
          o.port,
          o.requestTimeoutMs,
          o.credentials,
        ));
        for (let start = 0; start < n; start += per)
          await client.write(spec, rows, start, Math.min(n, start + per));
        return;
      }
      const writer = (this.writer ??= new IlpHttpWriter(o.host, o.port, o.requestTimeoutMs, o.authorization));
      const encoder = new IlpBatchEncoder(spec, rows);
      for (let start = 0; start < n; start += per)
        await writer.write(encoder.encode(start, Math.min(n, start + per)));
    } catch (err) {
      throw this.ilpError(spec.name, n, err);
    }
  }

  /**
   * Polls wal_tables() until every listed table has applied the transactions
   * it had when the wait began (a fixed target, so concurrent writers cannot
   * keep it waiting forever). Backoff 5 ms → 100 ms.
   */
  private async waitApplied(tables: readonly string[]): Promise<void> {
    const names = tables.map((t) => `'${t}'`).join(', ');
    const sql = `SELECT name, suspended, writerTxn, sequencerTxn FROM wal_tables() WHERE name IN (${names})`;
    const targets = new Map<string, number>();
    /** Tables whose writer is still behind the target; throws on a suspended one. */
    const behind = async (): Promise<number> => {
      const res = await this.http.exec(sql);
      let waiting = 0;
      for (const [name, suspended, writerTxn, sequencerTxn] of (res.dataset ?? []) as [
        string,
        boolean,
        number,
        number,
      ][]) {
        if (suspended) {
          throw new StoreError(
            'STORE_WAL_SUSPENDED',
            `QuestDB suspended WAL apply for table ${name} (writerTxn ${writerTxn} of ${sequencerTxn}); see the server log, fix the cause, then run ALTER TABLE ${name} RESUME WAL`,
          );
        }
        if (!targets.has(name)) targets.set(name, sequencerTxn);
        if (writerTxn < (targets.get(name) ?? sequencerTxn)) waiting++;
      }
      return waiting;
    };
    try {
      await poll(behind, (waiting) => waiting === 0, {
        initialMs: 5,
        maxMs: 100,
        timeoutMs: this.options.walApplyTimeoutMs,
        what: `the WAL of ${tables.join(', ')}`,
      });
    } catch (error) {
      if (!(error instanceof PollTimeoutError)) throw error;
      throw new StoreError(
        'STORE_WAL_TIMEOUT',
        `QuestDB did not apply the WAL of ${tables.join(', ')} within ${this.options.walApplyTimeoutMs} ms; the server may be overloaded (see its log) — raise walApplyTimeoutMs or retry`,
        { retriable: true },
      );
    }
    for (const t of tables) this.pending.delete(t);
  }

  private async columnTypes(table: string): Promise<Map<string, string>> {
    const res = await this.http.exec(`SELECT "column", type FROM table_columns('${table}')`);
    return new Map(
      ((res.dataset ?? []) as [string, string][]).map(([name, type]) => [name.toLowerCase(), type]),
    );
  }

  private spec(table: string): TableSpec {
    const spec = this.specs.get(table);
    if (spec === undefined) {
      checkIdentifier('table name', table);
      throw new StoreError(
        'STORE_UNKNOWN_TABLE',
        `table ${table} is unknown to this store; call ensureTables([...]) with its spec first`,
      );
    }
    return spec;
  }

  private ilpError(table: string, rows: number, err: unknown): StoreError {
    const message = err instanceof Error ? err.message : String(err);
    const status = /statusCode=(\d+)/.exec(message);
    if (status !== null && (status[1] === '401' || status[1] === '403'))
      return refused(this.options, Number(status[1]));
    if (/ECONNREFUSED|fetch failed|ETIMEDOUT|socket/i.test(message))
      return unreachable(this.options.url, err);
    return new StoreError('STORE_WRITE', `writing ${rows} row(s) to ${table} over ILP failed: ${message}`, {
      cause: err,
      retriable: /\b5\d\d\b/.test(message),
    });
  }

  private checkOpen(): void {
    if (this.closed)
      throw new StoreError('STORE_CLOSED', 'the QuestDB store is closed; create a new QuestDbStore');
  }
}

/** Validates a batch once, before any row is sent (shape, keys, columns, tags, long values). */
function checkRows(spec: TableSpec, rows: KeyedColumns): void {
  const n = rows.length;
  const bad = (what: string) => new StoreError('STORE_BAD_ROWS', `write ${spec.name}: ${what}`);
  if (!Number.isInteger(n) || n < 0) throw bad(`length must be a non-negative integer, got ${n}`);
  if (rows.region.length === 0) throw bad('region is empty');
  if (rows.date.length !== n || rows.instrument.length !== n)
    throw bad(
      `date/instrument arrays have ${rows.date.length}/${rows.instrument.length} entries for length ${n}`,
    );
  const k = rows.instruments.length;
  for (let i = 0; i < n; i++) {
    const ix = rows.instrument[i];
    if (ix < 0 || ix >= k)
      throw bad(`row ${i}: instrument index ${ix} outside the dictionary of ${k} instruments`);
  }
  const kinds = new Map(spec.columns.map((c) => [c.name, c.kind]));
  for (const [name, values] of Object.entries(rows.columns)) {
    const kind = kinds.get(name);
    if (kind === undefined)
      throw bad(
        `no column '${name}' in the table spec (columns: ${spec.columns.map((c) => c.name).join(', ')})`,
      );
    if (values.length !== n) throw bad(`column ${name} has ${values.length} values for length ${n}`);
    if (kind === 'long') {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === v && !Number.isSafeInteger(v))
          throw bad(`long column ${name}, row ${i}: ${v} is not a safe integer`);
      }
    }
  }
  const tags = rows.tags ?? {};
  for (const t of Object.keys(tags)) {
    if (!spec.tags.includes(t))
      throw bad(`no tag '${t}' in the table spec (tags: ${spec.tags.join(', ') || 'none'})`);
  }
  for (const key of spec.extraKeys) {
    if (tags[key] === undefined || tags[key] === '')
      throw bad(`tag '${key}' is a key of the table and must be set`);
  }
}
