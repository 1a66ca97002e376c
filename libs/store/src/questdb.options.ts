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
  /** HTTP basic auth (QuestDB's `http.user`), for REST reads and ILP-over-HTTP writes alike. */
  readonly username?: string;
  /** The password of `username`; a `{ reveal() }` holder (config's `Secret`) keeps it out of dumps. */
  readonly password?: string | { reveal(): string };
}

/**
 * The `Authorization` header of every request, built once. A function so the
 * resolved options (which may be logged or inspected) never hold the
 * credentials themselves.
 */
export type AuthorizationHeader = () => string | undefined;

export interface ResolvedQuestDbStoreOptions {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly rowsPerRequest: number;
  readonly requestTimeoutMs: number;
  readonly walApplyTimeoutMs: number;
  readonly ilpWriter: 'own' | 'client';
  /** The user name (null: no authentication); the password lives only in `authorization` and `credentials`. */
  readonly username: string | null;
  readonly authorization: AuthorizationHeader;
  /** User and password for @questdb/nodejs-client's own basic auth (undefined: none). */
  readonly credentials: () => { readonly username: string; readonly password: string } | undefined;
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
  if (url.username !== '' || url.password !== '') {
    throw new StoreError(
      'STORE_CONFIG',
      'QuestDB url must not carry credentials; set streaming.security.questdb.username and ALPHAFEED_QUESTDB_PASSWORD[_FILE]',
    );
  }
  const username = options.username ?? null;
  const password = options.password;
  if ((username === null) !== (password === undefined)) {
    throw new StoreError(
      'STORE_CONFIG',
      username === null
        ? 'a QuestDB password was given without a username; set streaming.security.questdb.username'
        : `QuestDB user '${username}' has no password; set ALPHAFEED_QUESTDB_PASSWORD or ALPHAFEED_QUESTDB_PASSWORD_FILE`,
    );
  }
  let header: string | undefined;
  let credentials: { readonly username: string; readonly password: string } | undefined;
  if (username !== null && password !== undefined) {
    const secret = typeof password === 'string' ? password : password.reveal();
    if (username.length === 0 || username.includes(':') || secret.length === 0) {
      throw new StoreError(
        'STORE_CONFIG',
        'QuestDB basic auth needs a non-empty username without ":" and a non-empty password',
      );
    }
    header = `Basic ${Buffer.from(`${username}:${secret}`, 'utf8').toString('base64')}`;
    credentials = { username, password: secret };
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
    username,
    authorization: () => header,
    credentials: () => credentials,
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
