import { ConfigError } from './errors';
import { parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

describe('an embargo below 63 trading days is rejected (SPEC §5)', () => {
  it('names the key, the value and the rule, in one message', () => {
    const err = configErrorOf(() => parseConfig('region: us\ncv:\n  embargo_days: 21\n', 'config/us.yaml'));
    expect(err.message).toBe(
      'config/us.yaml: cv.embargo_days = 21 is not allowed: the embargo must be at least 63 trading days (SPEC §5)',
    );
    expect(err.keyPath).toBe('cv.embargo_days');
    expect(err.source).toBe('config/us.yaml');
  });

  it('is a non-retriable input error with code CONFIG', () => {
    const err = configErrorOf(() => parseConfig({ region: 'cn', cv: { embargo_days: 62 } }, 'cn'));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.name).toBe('ConfigError');
    expect(err.code).toBe('CONFIG');
    expect(err.retriable).toBe(false);
  });

  it('also rejects it under cpcv, and accepts 63 and more', () => {
    expect(() => parseConfig({ region: 'us', cv: { method: 'cpcv', embargo_days: 0 } }, 'x')).toThrow(
      /at least 63 trading days/,
    );
    expect(parseConfig({ region: 'us', cv: { embargo_days: 63 } }, 'x').cv.embargo_days).toBe(63);
    expect(parseConfig({ region: 'us', cv: { embargo_days: 100 } }, 'x').cv.embargo_days).toBe(100);
  });

  it('rejects a non-integer embargo with the same rule', () => {
    expect(configErrorOf(() => parseConfig({ region: 'us', cv: { embargo_days: 63.5 } }, 'x')).message).toBe(
      'x: cv.embargo_days = 63.5 is not allowed: must be an integer; the embargo must be at least 63 trading days (SPEC §5)',
    );
  });
});
