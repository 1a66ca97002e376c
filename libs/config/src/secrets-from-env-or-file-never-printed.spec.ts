import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';

import { overrideConfig } from './load-config';
import { loadConfig } from './load-config';
import { readSecret, redactSecrets, resolveSecrets, Secret } from './secrets';
import { configErrorOf, shippedConfig } from './test-helpers';

const dir = mkdtempSync(join(tmpdir(), 'alphafeed-secrets-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('secrets: from the environment or a file, never printed', () => {
  it('reads the variable, else <NAME>_FILE (one trailing newline dropped), else the config file, else null', () => {
    expect(readSecret('T', { T: 's3cret-a' })?.reveal()).toBe('s3cret-a');
    expect(readSecret('T', { T_FILE: file('t1', 's3cret-b\n') })?.reveal()).toBe('s3cret-b');
    expect(readSecret('T', {}, file('t2', 's3cret-c\r\n'))?.reveal()).toBe('s3cret-c');
    expect(
      readSecret('T', { T_FILE: file('t3', 'from-env-file') }, file('t4', 'from-config'))?.reveal(),
    ).toBe('from-env-file');
    expect(readSecret('T', {})).toBeNull();
  });

  it('refuses both forms at once, an unreadable file and an empty one, naming the path but never a value', () => {
    expect(configErrorOf(() => readSecret('T', { T: 'x-value', T_FILE: '/nope' })).message).toBe(
      'both T and T_FILE are set; set one of them (T_FILE names a file holding the secret)',
    );
    expect(configErrorOf(() => readSecret('T', { T_FILE: join(dir, 'missing') })).message).toBe(
      `T: cannot read the secret file ${join(dir, 'missing')} named by T_FILE (ENOENT); check the path and its permissions`,
    );
    expect(configErrorOf(() => readSecret('T', { T_FILE: file('empty', '\n') })).message).toMatch(
      /is empty$/,
    );
  });

  it('prints as [redacted] through String, templates, JSON and util.inspect', () => {
    const s = new Secret('hunter2-token');
    const holder = { token: s, nested: [s] };
    for (const text of [String(s), `${s}`, JSON.stringify(holder), inspect(holder, { depth: 5 })]) {
      expect(text).not.toContain('hunter2');
      expect(text).toContain('[redacted]');
    }
    expect(redactSecrets('login failed for hunter2-token at broker')).toBe(
      'login failed for [redacted] at broker',
    );
  });

  it('compares a presented token in constant time, rejecting other lengths', () => {
    const s = new Secret('abc123');
    expect(s.equals('abc123')).toBe(true);
    expect(s.equals('abc124')).toBe(false);
    expect(s.equals('abc1234')).toBe(false);
    expect(s.equals('')).toBe(false);
  });

  it('resolves what the config asks for and checks users and passwords come together', () => {
    const base = loadConfig(shippedConfig('us'));
    const sasl = overrideConfig(base, {
      streaming: {
        security: { kafka: { protocol: 'sasl_ssl', sasl_username: 'svc' }, questdb: { username: 'q' } },
      },
    });
    const env = { ALPHAFEED_KAFKA_PASSWORD: 'kp-1', ALPHAFEED_QUESTDB_PASSWORD_FILE: file('q', 'qp-1\n') };
    const got = resolveSecrets(sasl, env);
    expect(got.kafkaPassword?.reveal()).toBe('kp-1');
    expect(got.questdbPassword?.reveal()).toBe('qp-1');
    expect(got.adminToken).toBeNull();
    expect(configErrorOf(() => resolveSecrets(sasl, {})).message).toBe(
      'streaming.security.kafka.sasl_username is set but no password was given: set ALPHAFEED_KAFKA_PASSWORD or ALPHAFEED_KAFKA_PASSWORD_FILE (or streaming.security.kafka.password_file)',
    );
    expect(configErrorOf(() => resolveSecrets(base, { ALPHAFEED_QUESTDB_PASSWORD: 'x' })).message).toBe(
      'ALPHAFEED_QUESTDB_PASSWORD is set but streaming.security.questdb.username is not; set the user it belongs to, or unset the password',
    );
  });

  it('a SASL user needs sasl_ssl and sasl_ssl needs a user (config validation)', () => {
    const base = loadConfig(shippedConfig('us'));
    expect(
      configErrorOf(() =>
        overrideConfig(base, { streaming: { security: { kafka: { protocol: 'sasl_ssl' } } } }, 'c'),
      ).message,
    ).toMatch(/^c: streaming\.security\.kafka\.sasl_username = null is not allowed: is needed with/);
    expect(
      configErrorOf(() =>
        overrideConfig(base, { streaming: { security: { kafka: { sasl_username: 'u' } } } }, 'c'),
      ).message,
    ).toMatch(/^c: streaming\.security\.kafka\.protocol = "plaintext" is not allowed: must be "sasl_ssl"/);
  });
});
