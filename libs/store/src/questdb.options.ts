import { StoreError } from './errors';

export interface QuestDbStoreOptions {
  /** QuestDB's HTTP endpoint (REST and ILP over HTTP); env ALPHAFEED_QUESTDB_URL, default http://127.0.0.1:9000. */
  readonly url: string;
  /** Rows per ILP request (one WAL transaction each); bounds the client buffer (default 100000). */
  readonly rowsPerRequest?: number;
  /** Per-request timeout for SQL and ILP requests (default 60000 ms). */
  readonly requestTimeoutMs?: number;
  /** Longest flush()/read() waits for the WAL to be applied (default 120000 ms). */
  readonly walApplyTimeoutMs?: number;
  /**
   * Who writes the ILP lines: `own` (default, `IlpBatchEncoder` + a keep-alive
   * HTTP agent) or `client` (@questdb/nodejs-client's Sender); same bytes.
   * Env `ALPHAFEED_QUESTDB_ILP_WRITER` for the services (deploy/README.md).
   */
  readonly ilpWriter?: 'own' | 'client';
}

export interface ResolvedQuestDbStoreOptions {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly rowsPerRequest: number;
  readonly requestTimeoutMs: number;
  readonly walApplyTimeoutMs: number;
  readonly ilpWriter: 'own' | 'client';
}

/** Validates once at start-up. */
export function resolveQuestDbStoreOptions(options: QuestDbStoreOptions): ResolvedQuestDbStoreOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (err) {
    throw new StoreError(
      'STORE_CONFIG',
      `QuestDB url '${options.url}' is not a URL; expected e.g. http://127.0.0.1:9000 (ALPHAFEED_QUESTDB_URL)`,
      { cause: err },
    );
  }
  if (url.protocol !== 'http:') {
    throw new StoreError(
      'STORE_CONFIG',
      `QuestDB url '${options.url}' must use http:// (TLS is not configured for this adapter)`,
    );
  }
  const port = url.port === '' ? 9000 : Number(url.port);
  const resolved: ResolvedQuestDbStoreOptions = {
    url: `http://${url.hostname}:${port}`,
    host: url.hostname,
    port,
    rowsPerRequest: options.rowsPerRequest ?? 100_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    walApplyTimeoutMs: options.walApplyTimeoutMs ?? 120_000,
    ilpWriter: options.ilpWriter ?? 'own',
  };
  if (resolved.ilpWriter !== 'own' && resolved.ilpWriter !== 'client')
    throw new StoreError(
      'STORE_CONFIG',
      `QuestDbStore option ilpWriter must be 'own' or 'client', got '${String(resolved.ilpWriter)}'`,
    );
  for (const key of ['rowsPerRequest', 'requestTimeoutMs', 'walApplyTimeoutMs'] as const) {
    const v = resolved[key];
    if (!Number.isInteger(v) || v <= 0)
      throw new StoreError('STORE_CONFIG', `QuestDbStore option ${key} must be a positive integer, got ${v}`);
  }
  return resolved;
}

/** ALPHAFEED_QUESTDB_URL, default the local infra server. */
export function questDbUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.ALPHAFEED_QUESTDB_URL ?? 'http://127.0.0.1:9000';
}
