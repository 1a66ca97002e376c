import { configHash } from './config-hash';
import { overrideConfig, parseConfig } from './load-config';

const base = parseConfig({ region: 'us' }, 'base');
const hashWith = (patch: object): string => configHash(overrideConfig(base, patch));

describe('configHash changes when a number-setting key changes', () => {
  it.each([
    ['ridge alpha', { models: { ridge: { alpha: 3.0000001 } } }],
    ['xgboost eta', { models: { xgboost: { eta: 0.1 } } }],
    ['embargo', { cv: { embargo_days: 64 } }],
    ['cv method', { cv: { method: 'cpcv' } }],
    ['horizons', { labels: { horizons: [21] } }],
    ['feature list', { features: { names: ['mom_12_1', 'rev_1m'] } }],
    ['winsorize', { features: { winsorize: { upper: 0.98 } } }],
    ['seed', { seed: 7 }],
    ['synthetic seed', { data: { synthetic: { seed: 7 } } }],
    ['data range', { data: { start_date: '2012-01-03' } }],
    ['data source', { data: { source: 'csv:data/us.csv.gz' } }],
    ['neutralisation', { neutralization: { style_neutral: false } }],
    ['clip', { alpha_clip_bps: 500 }],
    ['debug run', { debug: true }],
    ['debug subset of a debug run', { debug: true, training: { debug: { dates: 500 } } }, { debug: true }],
    ['cpcv groups under cpcv', { cv: { method: 'cpcv', n_groups: 8 } }, { cv: { method: 'cpcv' } }],
    ['walk-forward splits under walk_forward', { cv: { n_splits: 4 } }],
    ['generator seed of a synthetic run', { data: { synthetic: { seed: 1 } } }],
  ])('%s', (_name, patch, reference: object = {}) => {
    expect(hashWith(patch)).not.toBe(hashWith(reference));
  });

  it('a number changing back gives the old hash again', () => {
    expect(hashWith({ cv: { embargo_days: 63 } })).toBe(configHash(base));
  });
});
