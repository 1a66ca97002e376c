import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';

import { ConfigError } from './errors';
import type { RegionConfig } from './region-config.schema';

const REDACTED = '[redacted]';

/** Every secret value read in this process, for `redactSecrets`. */
const known = new Set<string>();

/**
 * A secret value (password, token) that prints as `[redacted]` however it is
 * logged: `String()`, template literals, `JSON.stringify` and
 * `util.inspect` never show it. Only `reveal()` does, at the one place that
 * hands it to a client library.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    known.add(value);
  }

  reveal(): string {
    return this.#value;
  }

  /** Constant-time comparison (for tokens presented by clients). */
  equals(candidate: string): boolean {
    const a = Buffer.from(this.#value, 'utf8');
    const b = Buffer.from(candidate, 'utf8');
    // Compare against itself when the lengths differ so the time does not depend on where they differ.
    return timingSafeEqual(a, b.length === a.length ? b : a) && b.length === a.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** `text` with every secret read in this process replaced by `[redacted]` (for error messages from client libraries). */
export function redactSecrets(text: string): string {
  let out = text;
  for (const value of known)
    if (value.length > 0 && out.includes(value)) out = out.split(value).join(REDACTED);
  return out;
}

/**
 * Reads secret `name` (e.g. ALPHAFEED_KAFKA_PASSWORD): the variable itself,
 * else the file named by `<name>_FILE`, else `configFile` (a `*_file` config
 * key); null when none is set. One trailing newline of a file is dropped (an
 * editor's). Setting both the variable and `<name>_FILE` is an error, as is
 * an unreadable or empty file; messages name the variable or the path, never
 * the value.
 */
export function readSecret(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  configFile: string | null = null,
): Secret | null {
  const direct = env[name];
  const fileVar = `${name}_FILE`;
  const file = env[fileVar];
  if (direct !== undefined && direct !== '' && file !== undefined && file !== '') {
    throw new ConfigError(
      'environment',
      name,
      `both ${name} and ${fileVar} are set; set one of them (${fileVar} names a file holding the secret)`,
    );
  }
  if (direct !== undefined && direct !== '') return new Secret(direct);
  const path = file !== undefined && file !== '' ? file : configFile;
  if (path === null) return null;
  const source = file !== undefined && file !== '' ? fileVar : 'the config';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      'environment',
      name,
      `${name}: cannot read the secret file ${path} named by ${source} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check the path and its permissions`,
      { cause: err },
    );
  }
  const value = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  if (value.length === 0) {
    throw new ConfigError(
      'environment',
      name,
      `${name}: the secret file ${path} named by ${source} is empty`,
    );
  }
  return new Secret(value);
}

/** The credentials of a service process, resolved once at start-up. */
export interface ServiceSecrets {
  /** SCRAM-SHA-512 password of `streaming.security.kafka.sasl_username`. */
  readonly kafkaPassword: Secret | null;
  /** HTTP basic-auth password of `streaming.security.questdb.username`. */
  readonly questdbPassword: Secret | null;
  /** Bearer token of the admin endpoints (`POST /train`). */
  readonly adminToken: Secret | null;
}

/**
 * Reads the secrets the config asks for and checks they fit it: a SASL user
 * needs its password, a QuestDB user too, and a password without its user is
 * an error (it would silently not be used).
 */
export function resolveSecrets(config: RegionConfig, env: NodeJS.ProcessEnv = process.env): ServiceSecrets {
  const sec = config.streaming.security;
  const kafkaPassword = readSecret('ALPHAFEED_KAFKA_PASSWORD', env, sec.kafka.password_file);
  const questdbPassword = readSecret('ALPHAFEED_QUESTDB_PASSWORD', env, sec.questdb.password_file);
  const adminToken = readSecret('ALPHAFEED_ADMIN_TOKEN', env, sec.admin.token_file);
  const missing = (key: string, secret: string): never => {
    throw new ConfigError(
      'environment',
      key,
      `${key} is set but no password was given: set ${secret} or ${secret}_FILE (or ${key.replace(/[^.]+$/, 'password_file')})`,
    );
  };
  const orphan = (secret: string, key: string): never => {
    throw new ConfigError(
      'environment',
      secret,
      `${secret} is set but ${key} is not; set the user it belongs to, or unset the password`,
    );
  };
  if (sec.kafka.sasl_username !== null && kafkaPassword === null)
    missing('streaming.security.kafka.sasl_username', 'ALPHAFEED_KAFKA_PASSWORD');
  if (sec.kafka.sasl_username === null && kafkaPassword !== null)
    orphan('ALPHAFEED_KAFKA_PASSWORD', 'streaming.security.kafka.sasl_username');
  if (sec.questdb.username !== null && questdbPassword === null)
    missing('streaming.security.questdb.username', 'ALPHAFEED_QUESTDB_PASSWORD');
  if (sec.questdb.username === null && questdbPassword !== null)
    orphan('ALPHAFEED_QUESTDB_PASSWORD', 'streaming.security.questdb.username');
  return { kafkaPassword, questdbPassword, adminToken };
}
