import { request, Agent } from 'node:http';
import { retry } from '@alphafeed/ops';
import { StoreError } from './errors';
import type { KeyedColumns, TableSpec } from './store.port';

const MS_PER_DAY = 86_400_000;
/** ILP protocol version 2: a double is `name==` + this type byte + 8 bytes IEEE 754 little-endian (exact). */
const BINARY_DOUBLE = 16;

/** Escapes a table name, column name or symbol value as the ILP line protocol wants (as @questdb/nodejs-client does). */
export function escapeIlp(text: string): string {
  return /[ ,=\n\r\\]/.test(text) ? text.replace(/[ ,=\n\r\\]/g, (ch) => `\\${ch}`) : text;
}

/**
 * Encodes rows [from, to) of a batch as ILP v2 lines, one buffer per request:
 *
 *   table,region=R,instrument=I[,tag=V…] d1==<f64>,d2==<f64>,l1=5i <µs>t\n
 *
 * The same lines @questdb/nodejs-client writes with `protocol_version=2`
 * (doubles binary, so exact; NaN longs omitted, i.e. null), built with one
 * cached prefix per instrument and one allocation per request instead of one
 * call per field. ~10x cheaper per row than the client on this workload.
 */
export class IlpBatchEncoder {
  private readonly doubles: { readonly head: Buffer; readonly values: Float64Array }[] = [];
  private readonly longs: { readonly name: string; readonly values: Float64Array }[] = [];
  private readonly prefixes: (Buffer | undefined)[];
  private readonly prefixTail: string;

  constructor(
    private readonly spec: TableSpec,
    private readonly rows: KeyedColumns,
  ) {
    let first = true;
    for (const c of spec.columns) {
      const values = rows.columns[c.name];
      if (values === undefined) continue;
      if (c.kind === 'double') {
        // The first double opens the field set (' '), the others continue it (',').
        this.doubles.push({
          head: Buffer.from(`${first ? ' ' : ','}${escapeIlp(c.name)}==`, 'utf8'),
          values,
        });
        first = false;
      } else this.longs.push({ name: escapeIlp(c.name), values });
    }
    this.prefixes = new Array(rows.instruments.length);
    const tags = Object.entries(rows.tags ?? {});
    this.prefixTail = tags.map(([k, v]) => `,${escapeIlp(k)}=${escapeIlp(v)}`).join('');
  }

  encode(from: number, to: number): Buffer {
    const { rows, doubles, longs } = this;
    // Upper bound of the size: prefix + per double (head + type + 8) + per long (',' name '=' 24 digits 'i') + ' ' 21 digits '\n'.
    let perRowFixed = 24;
    for (const d of doubles) perRowFixed += d.head.length + 9;
    for (const l of longs) perRowFixed += Buffer.byteLength(l.name) + 28;
    let size = 0;
    for (let i = from; i < to; i++) size += this.prefix(rows.instrument[i]).length + perRowFixed;
    const buf = Buffer.allocUnsafe(size);
    let at = 0;
    for (let i = from; i < to; i++) {
      at += this.prefix(rows.instrument[i]).copy(buf, at);
      let fields = doubles.length;
      for (let c = 0; c < doubles.length; c++) {
        const d = doubles[c];
        at += d.head.copy(buf, at);
        buf[at++] = BINARY_DOUBLE;
        at = buf.writeDoubleLE(d.values[i], at);
      }
      for (let c = 0; c < longs.length; c++) {
        const v = longs[c].values[i];
        if (v !== v) continue;
        if (!Number.isSafeInteger(v))
          throw new StoreError(
            'STORE_ROWS',
            `${this.spec.name}: column ${longs[c].name} row ${i} is ${v}, not an integer`,
          );
        at += buf.write(`${fields === 0 ? ' ' : ','}${longs[c].name}=${v}i`, at, 'latin1');
        fields++;
      }
      // Designated timestamp in µs with v2's unit suffix: the day's ms followed by three zeros (exact beyond 2^53).
      at += buf.write(` ${rows.date[i] * MS_PER_DAY}000t\n`, at, 'latin1');
    }
    return buf.subarray(0, at);
  }

  private prefix(instrument: number): Buffer {
    let p = this.prefixes[instrument];
    if (p === undefined) {
      const { rows, spec } = this;
      p = Buffer.from(
        `${escapeIlp(spec.name)},region=${escapeIlp(rows.region)},instrument=${escapeIlp(rows.instruments[instrument])}${this.prefixTail}`,
        'utf8',
      );
      this.prefixes[instrument] = p;
    }
    return p;
  }
}

/** HTTP status codes QuestDB (and @questdb/nodejs-client) treat as retriable. */
const RETRIABLE = new Set([500, 503, 504, 507, 509, 523, 524, 529, 599]);

/**
 * POSTs ILP lines to QuestDB's `/write` (one request = one transaction per
 * table). Resolves on 204; retries connection errors and retriable statuses
 * with backoff until `timeoutMs` (the rows are idempotent upserts).
 */
export class IlpHttpWriter {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly timeoutMs: number,
    /** The `Authorization` header value (QuestDB basic auth), read per request so it is never stored here. */
    private readonly authorization: () => string | undefined = () => undefined,
  ) {}

  async write(body: Buffer): Promise<void> {
    // Exponential backoff with jitter from 10 ms, capped at 1 s, until timeoutMs (the rows are idempotent upserts).
    await retry(
      async () => {
        const { status, text, error } = await this.post(body);
        if (status === 204 || status === 200) return;
        throw Object.assign(
          new Error(
            error !== null
              ? `HTTP request failed: ${error.message}`
              : `HTTP request failed, statusCode=${status}, error=${text}`,
            { cause: error ?? undefined },
          ),
          { retriable: error !== null || RETRIABLE.has(status) },
        );
      },
      { initialMs: 10, maxMs: 1000, deadlineMs: this.timeoutMs },
    );
  }

  close(): void {
    this.agent.destroy();
  }

  private headers(length: number): Record<string, string | number> {
    const authorization = this.authorization();
    return authorization === undefined
      ? { 'content-type': 'text/plain', 'content-length': length }
      : { 'content-type': 'text/plain', 'content-length': length, authorization };
  }

  private post(body: Buffer): Promise<{ status: number; text: string; error: Error | null }> {
    return new Promise((resolve) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          path: '/write?precision=n',
          method: 'POST',
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: this.headers(body.length),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              text: Buffer.concat(chunks).toString('utf8'),
              error: null,
            }),
          );
          res.on('error', (error) => resolve({ status: 0, text: '', error }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error) => resolve({ status: 0, text: '', error }));
      req.end(body);
    });
  }
}
