import { Sender, SenderOptions } from '@questdb/nodejs-client';
import type { KeyedColumns, TableSpec } from './store.port';

const MS_PER_DAY = 86_400_000;

/**
 * ILP ingestion through QuestDB's official client, @questdb/nodejs-client
 * (`Sender`, ILP over HTTP, protocol v2: doubles in binary, exact), one
 * request per `write` call (auto flush off): the lines are the bytes the
 * store's own `IlpBatchEncoder` writes (a spec checks it), so the two writers
 * are interchangeable; `QuestDbStore`'s `ilpWriter` option picks one. The
 * client builds a line with one call per field (about 10 µs per row here),
 * the own encoder with cached per-instrument prefixes; `npm run bench --
 * stream --kafka --per-service --ilp-writer both` measures what that costs
 * end to end (deploy/README.md has the figures and the choice).
 */
export class QuestDbClientWriter {
  private sender: Promise<Sender> | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
    private readonly credentials: () =>
      { readonly username: string; readonly password: string } | undefined = () => undefined,
  ) {}

  async write(spec: TableSpec, rows: KeyedColumns, from: number, to: number): Promise<void> {
    const sender = await (this.sender ??= this.open());
    const tags = Object.entries(rows.tags ?? {});
    const columns = spec.columns
      .map((c) => ({ name: c.name, kind: c.kind, values: rows.columns[c.name] }))
      .filter((c) => c.values !== undefined);
    for (let i = from; i < to; i++) {
      sender
        .table(spec.name)
        .symbol('region', rows.region)
        .symbol('instrument', rows.instruments[rows.instrument[i]]);
      for (const [k, v] of tags) sender.symbol(k, v);
      for (const c of columns) {
        const v = (c.values as Float64Array)[i];
        if (c.kind === 'double') sender.floatColumn(c.name, v);
        else if (v === v) sender.intColumn(c.name, v);
      }
      await sender.at(rows.date[i] * MS_PER_DAY, 'ms');
    }
    await sender.flush();
  }

  private async open(): Promise<Sender> {
    const options = await SenderOptions.fromConfig(
      `http::addr=${this.host}:${this.port};auto_flush=off;protocol_version=2;` +
        `request_timeout=${this.timeoutMs};retry_timeout=${this.timeoutMs}`,
    );
    // Basic auth set on the options, not in the config string (which an error message could echo).
    const auth = this.credentials();
    if (auth !== undefined) {
      options.username = auth.username;
      options.password = auth.password;
    }
    return new Sender(options);
  }

  async close(): Promise<void> {
    const sender = this.sender;
    this.sender = undefined;
    if (sender !== undefined) await (await sender).close();
  }
}
