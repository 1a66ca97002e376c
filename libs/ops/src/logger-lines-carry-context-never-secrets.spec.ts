import { Writable } from 'node:stream';
import { clearSecrets, registerSecret } from './secrets';
import { createLogger, memoryLogger } from './logger';

describe('createLogger', () => {
  afterEach(() => clearSecrets());

  it('writes JSON lines with service, region, config_hash, git_sha, model_id and the fields', () => {
    const log = memoryLogger({ service: 'scorer', region: 'us', configHash: 'abc123' });
    log.info('scored 2024-01-02', { rows: 3000 });
    log.bind({ model_id: 'm-42' });
    log.child({ component: 'models' }).warn('swap skipped');
    expect(log.lines[0]).toMatchObject({
      level: 'info',
      msg: 'scored 2024-01-02',
      service: 'scorer',
      region: 'us',
      config_hash: 'abc123',
      model_id: null,
      rows: 3000,
    });
    expect(typeof log.lines[0].git_sha).toBe('string');
    expect(typeof log.lines[0].time).toBe('string');
    expect(log.lines[1]).toMatchObject({ level: 'warn', model_id: 'm-42', component: 'models' });
  });

  it('never writes a secret: not in a field named like one, not registered values in messages or fields, not URL credentials', () => {
    registerSecret('s3cr3t-Pa55');
    const log = memoryLogger();
    log.info('connecting with s3cr3t-Pa55 to http://admin:hunter22@127.0.0.1:9000/exec', {
      password: 'plain-text',
      kafka: { mechanism: 'scram-sha-512', password: 'x-pass-x' },
      sasl: { username: 'svc', password: 'y-pass-y' },
      detail: 'error: bad password s3cr3t-Pa55',
      nested: { token: 'abcd-efgh' },
    });
    log
      .child({ brokers: 'kafka://u:p4ssw0rd@host:9092' })
      .error('down', { cause: new Error('auth s3cr3t-Pa55') });
    const text = JSON.stringify(log.lines);
    for (const secret of [
      'x-pass-x',
      'y-pass-y',
      's3cr3t-Pa55',
      'hunter22',
      'plain-text',
      'abcd-efgh',
      'p4ssw0rd',
    ])
      expect(text).not.toContain(secret);
    expect(log.lines[0].msg).toBe('connecting with [redacted] to http://[redacted]@127.0.0.1:9000/exec');
    expect(text).toContain('scram-sha-512');
  });

  it('filters by level and prints one readable line per entry in pretty format', () => {
    let out = '';
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        out += chunk.toString();
        done();
      },
    });
    const log = createLogger({ service: 'features', level: 'warn', format: 'pretty', destination: sink });
    log.info('hidden');
    log.warn('closed 2024-01-02 after the timeout', { received: 10, expected: 12 });
    expect(out).not.toContain('hidden');
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/WARN.*\[features\] closed 2024-01-02 after the timeout/);
    expect(out).toMatch(/received: 10/);
    expect(out).not.toContain('config_hash');
  });
});
