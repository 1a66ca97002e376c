import { configHash, HASH_EXCLUDED_KEYS } from './config-hash';
import { overrideConfig, parseConfig } from './load-config';

const base = parseConfig({ region: 'us' }, 'base');

describe('configHash ignores keys that cannot change a number', () => {
  it.each([
    [
      'kafka brokers',
      { streaming: { kafka: { brokers: ['10.0.0.1:9092', '10.0.0.2:9092'], client_id: 'other' } } },
    ],
    ['questdb url', { streaming: { questdb: { http_url: 'http://db:9000' } } }],
    ['eod timeout', { streaming: { eod_timeout_ms: 5000 } }],
    ['log level', { log_level: 'debug' }],
    ['output paths', { output: { models_dir: '/srv/models', data_dir: '/srv/data' } }],
    ['schedule', { training: { schedule: '0 20 * * 1-5' } }],
    ['calendar', { calendar: { close_time: '16:15' } }],
    ['reject ratio', { data: { max_reject_ratio: 0.2 } }],
    ['xgboost threads', { models: { xgboost: { nthread: 2 } } }],
  ])('%s', (_name, patch) => {
    expect(configHash(overrideConfig(base, patch))).toBe(configHash(base));
  });

  it.each([
    ['cpcv groups under walk_forward', { cv: { n_groups: 10, n_test_groups: 3 } }, {}],
    ['walk-forward splits under cpcv', { cv: { method: 'cpcv', n_splits: 3 } }, { cv: { method: 'cpcv' } }],
    [
      'generator options when reading a file',
      { data: { source: 'csv:a.csv', synthetic: { seed: 9, years: 3 } } },
      { data: { source: 'csv:a.csv' } },
    ],
    [
      'xgboost parameters without xgboost',
      { models: { names: ['ridge'], xgboost: { eta: 0.3 } } },
      { models: { names: ['ridge'] } },
    ],
    [
      'ridge alpha without ridge',
      { models: { names: ['xgboost'], ridge: { alpha: 1 } } },
      { models: { names: ['xgboost'] } },
    ],
    ['debug subset sizes outside a debug run', { training: { debug: { instruments: 10 } } }, {}],
  ])('%s (unused there)', (_name, patch, reference) => {
    expect(configHash(overrideConfig(base, patch))).toBe(configHash(overrideConfig(base, reference)));
  });

  it('documents a reason for every excluded key', () => {
    for (const reason of Object.values(HASH_EXCLUDED_KEYS)) expect(reason.length).toBeGreaterThan(10);
  });

  it('excludes only keys that exist in the config', () => {
    for (const path of Object.keys(HASH_EXCLUDED_KEYS)) {
      let node: unknown = base;
      for (const key of path.split('.')) node = (node as Record<string, unknown>)[key];
      expect([path, node]).not.toEqual([path, undefined]);
    }
  });
});
