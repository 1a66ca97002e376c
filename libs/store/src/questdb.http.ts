import { retry } from '@alphafeed/ops';
import { StoreError } from './errors';
import type { ResolvedQuestDbStoreOptions } from './questdb.options';

/**
 * QuestDB's REST endpoints over Node's built-in fetch: `/exec` for DDL and
 * small queries (JSON), `/exp` for streaming results out (CSV).
 */

export interface ExecResult {
  readonly columns?: readonly { readonly name: string; readonly type: string }[];
  readonly dataset?: readonly (readonly unknown[])[];
  readonly count?: number;
}

export class QuestDbHttp {
  constructor(private readonly options: ResolvedQuestDbStoreOptions) {}

  async exec(sql: string): Promise<ExecResult> {
    const res = await this.get('/exec', sql);
    const text = await res.text();
    if (!res.ok) throw this.sqlError(sql, res.status, text);
    return JSON.parse(text) as ExecResult;
  }

  /** `SELECT 1` with no retry and a short deadline: whether the server answers now. */
  async ping(timeoutMs = 3000): Promise<void> {
    const res = await this.getOnce('/exec', 'SELECT 1', timeoutMs);
    const text = await res.text();
    if (!res.ok) throw this.sqlError('SELECT 1', res.status, text);
  }

  /** Streams the CSV result of `sql` as decoded text chunks. */
  async *exportCsv(sql: string): AsyncGenerator<string> {
    const res = await this.get('/exp', sql);
    if (!res.ok) throw this.sqlError(sql, res.status, await res.text());
    if (res.body === null) return;
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      yield decoder.decode(chunk, { stream: true });
    }
    const tail = decoder.decode();
    if (tail.length > 0) yield tail;
  }

  /**
   * GET with a retry on HTTP 429: QuestDB caps concurrent `/exp` and `/exec`
   * connections (2 export connections by default), and several services of
   * one process may read at once (e.g. each restating a date). Backoff with
   * jitter from 10 ms, capped at 500 ms, until `requestTimeoutMs`.
   */
  private async get(path: string, sql: string): Promise<Response> {
    try {
      return await retry(
        async () => {
          const res = await this.getOnce(path, sql);
          if (res.status !== 429) return res;
          await res.body?.cancel();
          throw new TooManyRequests();
        },
        {
          initialMs: 10,
          maxMs: 500,
          deadlineMs: this.options.requestTimeoutMs,
          retriable: (e) => e instanceof TooManyRequests,
        },
      );
    } catch (error) {
      if (!(error instanceof TooManyRequests)) throw error;
      throw new StoreError(
        'STORE_SQL',
        `QuestDB answered HTTP 429 (too many concurrent requests) for ${this.options.requestTimeoutMs} ms; query: ${sql.slice(0, 300)}`,
        { retriable: true },
      );
    }
  }

  private async getOnce(path: string, sql: string, ms = this.options.requestTimeoutMs): Promise<Response> {
    const url = `${this.options.url}${path}?query=${encodeURIComponent(sql)}`;
    // Only the wait for the response head is bounded (AbortSignal.timeout would
    // also cut a long /exp body short).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no response within ${ms} ms`)), ms);
    try {
      const authorization = this.options.authorization();
      return await fetch(url, {
        signal: abort.signal,
        headers: authorization === undefined ? undefined : { authorization },
      });
    } catch (err) {
      throw unreachable(this.options.url, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private sqlError(sql: string, status: number, body: string): StoreError {
    if (status === 401 || status === 403) return refused(this.options, status);
    let detail = body.slice(0, 500);
    try {
      const parsed = JSON.parse(body) as { error?: string; position?: number };
      if (parsed.error !== undefined)
        detail =
          parsed.position === undefined ? parsed.error : `${parsed.error} (at position ${parsed.position})`;
    } catch {
      // not JSON: keep the raw text
    }
    return new StoreError(
      'STORE_SQL',
      `QuestDB rejected the query (HTTP ${status}): ${detail}; query: ${sql.slice(0, 300)}`,
      { retriable: status >= 500 },
    );
  }
}

/** QuestDB answered 429 (too many concurrent connections): worth another try. */
class TooManyRequests extends Error {}

export function unreachable(url: string, err: unknown): StoreError {
  const cause =
    err instanceof Error && err.cause instanceof Error
      ? err.cause.message
      : err instanceof Error
        ? err.message
        : String(err);
  return new StoreError(
    'STORE_UNREACHABLE',
    `QuestDB at ${url} did not answer (${cause}). Start the local servers with 'npm run infra:up', or point ALPHAFEED_QUESTDB_URL at a running server.`,
    { cause: err, retriable: true },
  );
}

/** QuestDB answered 401/403: credentials missing or wrong. Not retriable: the config has to change. */
export function refused(options: ResolvedQuestDbStoreOptions, status: number): StoreError {
  return new StoreError(
    'STORE_AUTH',
    options.username === null
      ? `QuestDB at ${options.url} asks for credentials (HTTP ${status}); set streaming.security.questdb.username and ALPHAFEED_QUESTDB_PASSWORD[_FILE]`
      : `QuestDB at ${options.url} refused user '${options.username}' (HTTP ${status}); check streaming.security.questdb.username and ALPHAFEED_QUESTDB_PASSWORD[_FILE]`,
  );
}
