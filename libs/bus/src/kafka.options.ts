import { BusError } from './errors';

/** Where a kafkajs log line goes; `level` is already filtered by `logLevel`. */
export type KafkaLogSink = (entry: {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly namespace: string;
  readonly message: string;
}) => void;

/** TLS to the brokers. `ca`: PEM certificates to trust instead of Node's bundle (e.g. a self-signed broker's). */
export interface KafkaTlsOptions {
  readonly ca?: readonly string[];
}

/**
 * SASL login. Only SCRAM-SHA-512 (salted challenge-response: the password
 * never crosses the wire), and only over TLS, which `resolveKafkaBusOptions`
 * enforces. `password` is read when the client is built, never stored in the
 * resolved options (a `{ reveal() }` holder such as config's `Secret` is fine).
 */
export interface KafkaSaslOptions {
  readonly mechanism: 'scram-sha-512';
  readonly username: string;
  readonly password: string | { reveal(): string };
}

export interface KafkaBusOptions {
  /** `host:port` of one or more brokers (env ALPHAFEED_KAFKA_BROKERS, comma-separated). */
  readonly brokers: readonly string[];
  /** TLS (`true` = Node's CA bundle); required with `sasl`. */
  readonly ssl?: boolean | KafkaTlsOptions;
  readonly sasl?: KafkaSaslOptions;
  readonly clientId?: string;
  /** TCP connect timeout per broker (default 3000 ms). */
  readonly connectionTimeoutMs?: number;
  /** How many times kafkajs retries a failing request before giving up (default 5, ~10 s total). */
  readonly retries?: number;
  /** Consumer session timeout: a member silent this long is evicted (default 30000 ms). */
  readonly sessionTimeoutMs?: number;
  /** Consumer heartbeat interval; must be at most a third of the session timeout (default 3000 ms). */
  readonly heartbeatIntervalMs?: number;
  /** Longest a fetch waits on the broker for new data; bounds close() latency (default 500 ms). */
  readonly maxWaitTimeMs?: number;
  /** Longest subscribe() waits to join its group (default 60000 ms). */
  readonly joinTimeoutMs?: number;
  /** Upper bound on the bytes of one produce request, kept below the broker's 1 MiB message.max.bytes (default 900000). */
  readonly maxRequestBytes?: number;
  /** Most verbose kafkajs level passed to `log` (default 'error'; kafkajs retries are not errors for us). */
  readonly logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  /** Default: kafkajs errors as one line on stderr. */
  readonly log?: KafkaLogSink;
  /**
   * Called when a handler rejects and its subscription stops. Default: one
   * line on stderr, so a stopped consumer is never silent.
   */
  readonly onError?: (error: unknown, where: { groupId: string; topic: string; partition: number }) => void;
}

export type ResolvedKafkaBusOptions = Required<Omit<KafkaBusOptions, 'ssl' | 'sasl'>> & {
  readonly ssl: false | KafkaTlsOptions;
  /** The SASL login without its password (see `kafkaClientSecurity`). */
  readonly sasl: { readonly mechanism: 'scram-sha-512'; readonly username: string } | null;
};

/**
 * The `ssl` / `sasl` settings of the kafkajs client. The password is read
 * here, from the caller's options, so it lives only inside kafkajs.
 */
export function kafkaClientSecurity(options: KafkaBusOptions): {
  ssl?: boolean | { ca: string[] };
  sasl?: { mechanism: 'scram-sha-512'; username: string; password: string };
} {
  const out: ReturnType<typeof kafkaClientSecurity> = {};
  if (options.ssl !== undefined && options.ssl !== false) {
    out.ssl = options.ssl === true || options.ssl.ca === undefined ? true : { ca: [...options.ssl.ca] };
  }
  if (options.sasl !== undefined) {
    const p = options.sasl.password;
    out.sasl = {
      mechanism: 'scram-sha-512',
      username: options.sasl.username,
      password: typeof p === 'string' ? p : p.reveal(),
    };
  }
  return out;
}

/** Validates once at start-up; cross-field checks included (heartbeat vs session timeout). */
export function resolveKafkaBusOptions(options: KafkaBusOptions): ResolvedKafkaBusOptions {
  const brokers = options.brokers.map((b) => b.trim()).filter((b) => b.length > 0);
  if (brokers.length === 0) {
    throw new BusError(
      'BUS_CONFIG',
      'KafkaBus needs at least one broker (host:port); set ALPHAFEED_KAFKA_BROKERS, e.g. 127.0.0.1:9092',
    );
  }
  for (const b of brokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(b)) {
      throw new BusError('BUS_CONFIG', `Kafka broker address '${b}' is not host:port (e.g. 127.0.0.1:9092)`);
    }
  }
  const sasl = options.sasl;
  if (sasl !== undefined) {
    if (sasl.mechanism !== 'scram-sha-512') {
      throw new BusError(
        'BUS_CONFIG',
        `KafkaBus SASL mechanism '${String(sasl.mechanism)}' is not supported; use 'scram-sha-512'`,
      );
    }
    if (options.ssl === undefined || options.ssl === false) {
      throw new BusError(
        'BUS_CONFIG',
        'KafkaBus SASL needs TLS (ssl): credentials are never sent to a plaintext listener; set streaming.security.kafka.protocol: sasl_ssl',
      );
    }
    const password = typeof sasl.password === 'string' ? sasl.password : sasl.password.reveal();
    if (sasl.username.length === 0 || password.length === 0) {
      throw new BusError('BUS_CONFIG', 'KafkaBus SASL needs a non-empty username and password');
    }
  }
  const ssl = options.ssl;
  const resolved: ResolvedKafkaBusOptions = {
    brokers,
    ssl: ssl === undefined || ssl === false ? false : ssl === true ? {} : { ca: ssl.ca },
    sasl: sasl === undefined ? null : { mechanism: sasl.mechanism, username: sasl.username },
    clientId: options.clientId ?? 'alphafeed',
    connectionTimeoutMs: options.connectionTimeoutMs ?? 3000,
    retries: options.retries ?? 5,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 3000,
    maxWaitTimeMs: options.maxWaitTimeMs ?? 500,
    joinTimeoutMs: options.joinTimeoutMs ?? 60_000,
    maxRequestBytes: options.maxRequestBytes ?? 900_000,
    logLevel: options.logLevel ?? 'error',
    log: options.log ?? ((e) => process.stderr.write(`kafkajs ${e.level} [${e.namespace}] ${e.message}\n`)),
    onError:
      options.onError ??
      ((error, where) =>
        process.stderr.write(
          `kafka bus: handler of group ${where.groupId} failed on ${where.topic}[${where.partition}], subscription stopped: ${String(error)}\n`,
        )),
  };
  for (const key of [
    'connectionTimeoutMs',
    'sessionTimeoutMs',
    'heartbeatIntervalMs',
    'maxWaitTimeMs',
    'joinTimeoutMs',
    'maxRequestBytes',
  ] as const) {
    const v = resolved[key];
    if (!Number.isInteger(v) || v <= 0)
      throw new BusError('BUS_CONFIG', `KafkaBus option ${key} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(resolved.retries) || resolved.retries < 0) {
    throw new BusError(
      'BUS_CONFIG',
      `KafkaBus option retries must be a non-negative integer, got ${resolved.retries}`,
    );
  }
  if (resolved.heartbeatIntervalMs * 3 > resolved.sessionTimeoutMs) {
    throw new BusError(
      'BUS_CONFIG',
      `KafkaBus heartbeatIntervalMs (${resolved.heartbeatIntervalMs}) must be at most a third of sessionTimeoutMs (${resolved.sessionTimeoutMs}), or members get evicted between heartbeats`,
    );
  }
  return resolved;
}

/** Brokers from ALPHAFEED_KAFKA_BROKERS (comma-separated host:port), default the local infra broker. */
export function kafkaBrokersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.ALPHAFEED_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}
