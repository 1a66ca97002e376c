import { readFileSync } from 'node:fs';
import type { KafkaBusOptions } from '@alphafeed/bus';
import { resolveSecrets } from '@alphafeed/config';
import type { RegionConfig, ServiceSecrets } from '@alphafeed/config';
import type { QuestDbStoreOptions } from '@alphafeed/store';

/**
 * The options of the Kafka client a config asks for: brokers, client id, and
 * with `streaming.security.kafka.protocol: sasl_ssl` TLS (the CA file's
 * certificates, else Node's bundle) and a SCRAM-SHA-512 login whose password
 * comes from `resolveSecrets` (env or file, never the config). Every place
 * that builds a KafkaBus from a config (services, replay, tail) goes through
 * here, so none of them can forget the credentials.
 */
export function kafkaBusOptions(
  config: RegionConfig,
  clientId: string = config.streaming.kafka.client_id,
  secrets: ServiceSecrets = resolveSecrets(config),
): KafkaBusOptions {
  const k = config.streaming.security.kafka;
  const session = config.streaming.kafka.session_timeout_ms;
  const base: KafkaBusOptions = {
    brokers: config.streaming.kafka.brokers,
    clientId,
    sessionTimeoutMs: session,
    heartbeatIntervalMs: Math.min(3000, Math.floor(session / 3)),
  };
  if (k.protocol !== 'sasl_ssl') return base;
  let ca: string[] | undefined;
  if (k.ca_file !== null) {
    try {
      ca = [readFileSync(k.ca_file, 'utf8')];
    } catch (err) {
      throw new Error(
        `streaming.security.kafka.ca_file: cannot read ${k.ca_file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); give the PEM certificate(s) of the broker's CA`,
        { cause: err },
      );
    }
  }
  return {
    ...base,
    ssl: ca === undefined ? true : { ca },
    // resolveSecrets guarantees a password when a user is configured, and config validation a user with sasl_ssl.
    sasl: {
      mechanism: 'scram-sha-512',
      username: k.sasl_username as string,
      password: secrets.kafkaPassword as NonNullable<ServiceSecrets['kafkaPassword']>,
    },
  };
}

/** The QuestDB store options of a config: URL and, when configured, basic-auth credentials. */
export function questDbStoreOptions(
  config: RegionConfig,
  secrets: ServiceSecrets = resolveSecrets(config),
): QuestDbStoreOptions {
  const url = config.streaming.questdb.http_url as string;
  const user = config.streaming.security.questdb.username;
  if (user === null || secrets.questdbPassword === null) return { url };
  return { url, username: user, password: secrets.questdbPassword };
}
