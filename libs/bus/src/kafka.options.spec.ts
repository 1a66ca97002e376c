import { kafkaBrokersFromEnv, kafkaClientSecurity, resolveKafkaBusOptions } from './kafka.options';

describe('resolveKafkaBusOptions', () => {
  test('fills defaults and trims broker addresses', () => {
    const o = resolveKafkaBusOptions({ brokers: [' 127.0.0.1:9092 ', ''] });
    expect(o.brokers).toEqual(['127.0.0.1:9092']);
    expect(o.heartbeatIntervalMs * 3).toBeLessThanOrEqual(o.sessionTimeoutMs);
  });

  test('rejects a missing or malformed broker with the value and an example', () => {
    expect(() => resolveKafkaBusOptions({ brokers: [] })).toThrow(/ALPHAFEED_KAFKA_BROKERS/);
    expect(() => resolveKafkaBusOptions({ brokers: ['localhost'] })).toThrow(/'localhost' is not host:port/);
  });

  test('rejects a heartbeat interval above a third of the session timeout', () => {
    expect(() =>
      resolveKafkaBusOptions({ brokers: ['h:1'], heartbeatIntervalMs: 3000, sessionTimeoutMs: 8000 }),
    ).toThrow(/heartbeatIntervalMs \(3000\).*sessionTimeoutMs \(8000\)/);
    expect(() =>
      resolveKafkaBusOptions({ brokers: ['h:1'], heartbeatIntervalMs: 2000, sessionTimeoutMs: 6000 }),
    ).not.toThrow();
  });

  test('rejects non-positive timeouts and negative retries', () => {
    expect(() => resolveKafkaBusOptions({ brokers: ['h:1'], maxWaitTimeMs: 0 })).toThrow(/maxWaitTimeMs/);
    expect(() => resolveKafkaBusOptions({ brokers: ['h:1'], retries: -1 })).toThrow(/retries/);
  });

  test('brokers from ALPHAFEED_KAFKA_BROKERS, comma-separated, default the local broker', () => {
    expect(kafkaBrokersFromEnv({ ALPHAFEED_KAFKA_BROKERS: 'a:1,b:2' })).toEqual(['a:1', 'b:2']);
    expect(kafkaBrokersFromEnv({})).toEqual(['127.0.0.1:9092']);
  });
});

describe('Kafka security options', () => {
  test('SASL needs TLS and SCRAM-SHA-512; the resolved options keep no password', () => {
    const sasl = { mechanism: 'scram-sha-512' as const, username: 'svc', password: 'pw-123' };
    expect(() => resolveKafkaBusOptions({ brokers: ['h:1'], sasl })).toThrow(/SASL needs TLS/);
    expect(() =>
      resolveKafkaBusOptions({ brokers: ['h:1'], ssl: true, sasl: { ...sasl, mechanism: 'plain' as never } }),
    ).toThrow(/mechanism 'plain' is not supported/);
    expect(() =>
      resolveKafkaBusOptions({ brokers: ['h:1'], ssl: true, sasl: { ...sasl, password: '' } }),
    ).toThrow(/non-empty username and password/);
    const o = resolveKafkaBusOptions({ brokers: ['h:1'], ssl: { ca: ['PEM'] }, sasl });
    expect(o.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'svc' });
    expect(o.ssl).toEqual({ ca: ['PEM'] });
    expect(JSON.stringify(o)).not.toContain('pw-123');
  });

  test('the kafkajs client gets ssl and sasl, the password read from a holder', () => {
    expect(kafkaClientSecurity({ brokers: ['h:1'] })).toEqual({});
    expect(
      kafkaClientSecurity({
        brokers: ['h:1'],
        ssl: { ca: ['PEM'] },
        sasl: { mechanism: 'scram-sha-512', username: 'svc', password: { reveal: () => 'pw-9' } },
      }),
    ).toEqual({
      ssl: { ca: ['PEM'] },
      sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'pw-9' },
    });
    expect(kafkaClientSecurity({ brokers: ['h:1'], ssl: true })).toEqual({ ssl: true });
  });
});
