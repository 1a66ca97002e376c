import { parseConfig } from './load-config';
import { SPEC_FEATURE_NAMES } from './spec-names';

describe('a config with only a region gets every SPEC default', () => {
  const c = parseConfig('region: cn\n', 'minimal.yaml');

  it('fills the SPEC numbers', () => {
    expect(c.features.names).toEqual(SPEC_FEATURE_NAMES);
    expect(c.features.min_industry_size).toBe(5);
    expect(c.features.ffill_limit).toBe(5);
    expect(c.features.winsorize).toEqual({ lower: 0.01, upper: 0.99 });
    expect(c.labels.horizons).toEqual([21, 63]);
    expect(c.cv).toEqual({
      method: 'walk_forward',
      n_splits: 5,
      n_groups: 6,
      n_test_groups: 2,
      embargo_days: 63,
      min_fold_samples: 100,
    });
    expect(c.models.names).toEqual(['ridge', 'xgboost']);
    expect(c.models.ridge.alpha).toBe(3);
    expect(c.models.meta.alpha).toBe(3);
    expect(c.models.xgboost).toEqual({
      max_depth: 6,
      n_estimators: 400,
      eta: 0.05,
      subsample: 0.8,
      colsample_bytree: 0.8,
      max_bin: 256,
      lambda: 1,
      min_child_weight: 1,
      base_score: 0.5,
      tree_method: 'hist',
      objective: 'reg:squarederror',
      nthread: 0,
    });
    expect(c.calibration.method).toBe('isotonic');
    expect(c.neutralization.style_neutral).toBe(true);
    expect(c.alpha_clip_bps).toBe(1000);
    expect(c.seed).toBe(42);
  });

  it('fills the region defaults of cn', () => {
    expect(c.calendar.timezone).toBe('Asia/Shanghai');
    expect(c.training.schedule).toBe('30 16 * * 1-5');
    expect(c.streaming.kafka.client_id).toBe('alphafeed-cn');
    expect(c.streaming.embedded.store_path).toBe('data/embedded/cn.store');
  });

  it('defaults to the synthetic source and embedded mode', () => {
    expect(c.data.source).toBe('synthetic');
    expect(c.streaming.kafka.brokers).toEqual([]);
    expect(c.streaming.questdb.http_url).toBeNull();
    expect(c.output).toEqual({ models_dir: 'models/', data_dir: 'data/' });
  });

  it('keeps an explicit value over a region default, even null', () => {
    const custom = parseConfig(
      { region: 'cn', data: { synthetic: { price_limits: null } }, calendar: { close_time: '15:30' } },
      'x',
    );
    expect(custom.data.synthetic.price_limits).toBeNull();
    expect(custom.calendar).toEqual({ timezone: 'Asia/Shanghai', close_time: '15:30' });
  });
});
