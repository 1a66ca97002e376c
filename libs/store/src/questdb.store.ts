import { Sender } from '@questdb/nodejs-client';
import { StoreError } from './errors';
import { ColumnsBuilder } from './questdb.columns';
import { CsvStreamParser } from './questdb.csv-reader';
import { QuestDbHttp, unreachable } from './questdb.http';
import { resolveQuestDbStoreOptions, type QuestDbStoreOptions, type ResolvedQuestDbStoreOptions } from './questdb.options';
import { checkIdentifier, checkTableSpec, createTableSql, readPlan, sqlType } from './questdb.sql';
import type { KeyedColumns, ReadQuery, StorePort, TableSpec } from './store.port';

const MS_PER_DAY = 86_400_000;

/**
 * The store on a QuestDB server.
 *
 * - Tables are WAL tables partitioned by month, `ts` (the date at 00:00 UTC)
 *   designated, with DEDUP UPSERT KEYS(ts, region, instrument, extra keys):
 *   writing a row again replaces it, so replays are idempotent.
 * - Writes go over ILP/HTTP (@questdb/nodejs-client, protocol v2: doubles in
 *   binary, so they round-trip exactly), one request per `rowsPerRequest` rows,
 *   each one committed WAL transaction when the request returns. NaN is sent
 *   as-is for doubles (QuestDB stores it as NULL) and omitted for longs.
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
  private sender: Sender | undefined;
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
    const builder = new ColumnsBuilder(plan.numericColumns, plan.tagColumns, plan.mayBeAmbiguous ? spec : undefined);
    const parser = new CsvStreamParser(builder);
    for await (const text of this.http.exportCsv(plan.sql)) parser.push(text);
    parser.end();
    return builder.build(query.region, query.tags ?? {});
  }

  /** Waits for writes in progress, then until QuestDB has applied them (visible to reads). */
  async flush(): Promise<void> {
    this.checkOpen();
    await this.queue;
    if (this.pending.size > 0) await this.waitApplied([...this.pending]);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    const sender = this.sender;
    this.sender = undefined;
    if (sender !== undefined) await sender.close().catch(() => undefined);
  }

  private async writeNow(spec: TableSpec, rows: KeyedColumns): Promise<void> {
    const n = rows.length;
    if (n === 0) return;
    const sender = await this.getSender();
    const table = spec.name;
    const region = rows.region;
    const instruments = rows.instruments;
    const date = rows.date;
    const inst = rows.instrument;
    // Hoisted out of the row loop: the columns this batch carries, split by kind.
    const doubles: { name: string; values: Float64Array }[] = [];
    const longs: { name: string; values: Float64Array }[] = [];
    for (const c of spec.columns) {
      const values = rows.columns[c.name];
      if (values === undefined) continue;
      (c.kind === 'double' ? doubles : longs).push({ name: c.name, values });
    }
    const tags = Object.entries(rows.tags ?? {});
    const per = this.options.rowsPerRequest;
    this.pending.add(table);
    try {
      for (let i = 0; i < n; i++) {
        sender.table(table).symbol('region', region).symbol('instrument', instruments[inst[i]]);
        for (let t = 0; t < tags.length; t++) sender.symbol(tags[t][0], tags[t][1]);
        for (let c = 0; c < doubles.length; c++) sender.floatColumn(doubles[c].name, doubles[c].values[i]);
        for (let c = 0; c < longs.length; c++) {
          const v = longs[c].values[i];
          if (v === v) sender.intColumn(longs[c].name, v);
        }
        await sender.at(date[i] * MS_PER_DAY, 'ms');
        if ((i + 1) % per === 0) await sender.flush();
      }
      await sender.flush();
    } catch (err) {
      // Rows of a failed request are not in the buffer any more (the client
      // resets it); rows of earlier requests of this call are committed. The
      // caller may retry the whole write: it is idempotent.
      sender.reset();
      throw this.ilpError(table, n, err);
    }
  }

  private async getSender(): Promise<Sender> {
    if (this.sender !== undefined) return this.sender;
    const o = this.options;
    // auto_flush off: this adapter decides where a transaction ends.
    // protocol_version=2 sends doubles as binary IEEE 754 (exact, and faster to parse).
    const conf =
      `http::addr=${o.host}:${o.port};auto_flush=off;protocol_version=2;` +
      `request_timeout=${o.requestTimeoutMs};retry_timeout=${o.requestTimeoutMs};init_buf_size=${4 * 1024 * 1024};max_buf_size=${1024 * 1024 * 1024}`;
    try {
      this.sender = await Sender.fromConfig(conf, { log: quietLog });
    } catch (err) {
      throw unreachable(o.url, err);
    }
    return this.sender;
  }

  /**
   * Polls wal_tables() until every listed table has applied the transactions
   * it had when the wait began (a fixed target, so concurrent writers cannot
   * keep it waiting forever). Backoff 5 ms → 100 ms.
   */
  private async waitApplied(tables: readonly string[]): Promise<void> {
    const deadline = Date.now() + this.options.walApplyTimeoutMs;
    const names = tables.map((t) => `'${t}'`).join(', ');
    const sql = `SELECT name, suspended, writerTxn, sequencerTxn FROM wal_tables() WHERE name IN (${names})`;
    const targets = new Map<string, number>();
    let delay = 5;
    for (;;) {
      const res = await this.http.exec(sql);
      let waiting = 0;
      for (const [name, suspended, writerTxn, sequencerTxn] of (res.dataset ?? []) as [string, boolean, number, number][]) {
        if (suspended) {
          throw new StoreError(
            'STORE_WAL_SUSPENDED',
            `QuestDB suspended WAL apply for table ${name} (writerTxn ${writerTxn} of ${sequencerTxn}); see the server log, fix the cause, then run ALTER TABLE ${name} RESUME WAL`,
          );
        }
        if (!targets.has(name)) targets.set(name, sequencerTxn);
        if (writerTxn < (targets.get(name) ?? sequencerTxn)) waiting++;
      }
      if (waiting === 0) {
        for (const t of tables) this.pending.delete(t);
        return;
      }
      if (Date.now() > deadline) {
        throw new StoreError(
          'STORE_WAL_TIMEOUT',
          `QuestDB did not apply the WAL of ${tables.join(', ')} within ${this.options.walApplyTimeoutMs} ms; the server may be overloaded (see its log) — raise walApplyTimeoutMs or retry`,
          { retriable: true },
        );
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(100, delay * 2);
    }
  }

  private async columnTypes(table: string): Promise<Map<string, string>> {
    const res = await this.http.exec(`SELECT "column", type FROM table_columns('${table}')`);
    return new Map(((res.dataset ?? []) as [string, string][]).map(([name, type]) => [name.toLowerCase(), type]));
  }

  private spec(table: string): TableSpec {
    const spec = this.specs.get(table);
    if (spec === undefined) {
      checkIdentifier('table name', table);
      throw new StoreError('STORE_UNKNOWN_TABLE', `table ${table} is unknown to this store; call ensureTables([...]) with its spec first`);
    }
    return spec;
  }

  private ilpError(table: string, rows: number, err: unknown): StoreError {
    const message = err instanceof Error ? err.message : String(err);
    if (/ECONNREFUSED|fetch failed|ETIMEDOUT|socket/i.test(message)) return unreachable(this.options.url, err);
    return new StoreError('STORE_WRITE', `writing ${rows} row(s) to ${table} over ILP failed: ${message}`, { cause: err, retriable: /\b5\d\d\b/.test(message) });
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the QuestDB store is closed; create a new QuestDbStore');
  }
}

/** The ILP client logs retries at info level; only its errors are worth a line. */
function quietLog(level: 'error' | 'warn' | 'info' | 'debug', message: string | Error): void {
  if (level === 'error') process.stderr.write(`questdb client: ${message instanceof Error ? message.message : message}\n`);
}

/** Validates a batch once, before any row is sent (shape, keys, columns, tags, long values). */
function checkRows(spec: TableSpec, rows: KeyedColumns): void {
  const n = rows.length;
  const bad = (what: string) => new StoreError('STORE_BAD_ROWS', `write ${spec.name}: ${what}`);
  if (!Number.isInteger(n) || n < 0) throw bad(`length must be a non-negative integer, got ${n}`);
  if (rows.region.length === 0) throw bad('region is empty');
  if (rows.date.length !== n || rows.instrument.length !== n) throw bad(`date/instrument arrays have ${rows.date.length}/${rows.instrument.length} entries for length ${n}`);
  const k = rows.instruments.length;
  for (let i = 0; i < n; i++) {
    const ix = rows.instrument[i];
    if (ix < 0 || ix >= k) throw bad(`row ${i}: instrument index ${ix} outside the dictionary of ${k} instruments`);
  }
  const kinds = new Map(spec.columns.map((c) => [c.name, c.kind]));
  for (const [name, values] of Object.entries(rows.columns)) {
    const kind = kinds.get(name);
    if (kind === undefined) throw bad(`no column '${name}' in the table spec (columns: ${spec.columns.map((c) => c.name).join(', ')})`);
    if (values.length !== n) throw bad(`column ${name} has ${values.length} values for length ${n}`);
    if (kind === 'long') {
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === v && !Number.isSafeInteger(v)) throw bad(`long column ${name}, row ${i}: ${v} is not a safe integer`);
      }
    }
  }
  const tags = rows.tags ?? {};
  for (const t of Object.keys(tags)) {
    if (!spec.tags.includes(t)) throw bad(`no tag '${t}' in the table spec (tags: ${spec.tags.join(', ') || 'none'})`);
  }
  for (const key of spec.extraKeys) {
    if (tags[key] === undefined || tags[key] === '') throw bad(`tag '${key}' is a key of the table and must be set`);
  }
}
