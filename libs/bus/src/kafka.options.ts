import { BusError } from './errors';

/** Where a kafkajs log line goes; `level` is already filtered by `logLevel`. */
export type KafkaLogSink = (entry: {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly namespace: string;
  readonly message: string;
}) => void;

export interface KafkaBusOptions {
  /** `host:port` of one or more brokers (env ALPHAFEED_KAFKA_BROKERS, comma-separated). */
  readonly brokers: readonly string[];
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

export type ResolvedKafkaBusOptions = Required<KafkaBusOptions>;

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
  const resolved: ResolvedKafkaBusOptions = {
    brokers,
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
