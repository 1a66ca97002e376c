import { parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

describe('an unknown key is rejected, naming the nearest valid key', () => {
  it('inside a section', () => {
    const err = configErrorOf(() => parseConfig('region: us\ncv:\n  embargo: 63\n', 'config/us.yaml'));
    expect(err.message).toBe(
      'config/us.yaml: cv.embargo = 63 is not allowed: unknown key "embargo" in cv; did you mean "embargo_days"? ' +
        'valid keys are method, n_splits, n_groups, n_test_groups, embargo_days, min_fold_samples',
    );
    expect(err.keyPath).toBe('cv.embargo');
  });

  it('at the top level', () => {
    const err = configErrorOf(() => parseConfig('region: us\nmodles: {}\n', 'c.yaml'));
    expect(err.message).toMatch(
      /^c\.yaml: modles = \{\} is not allowed: unknown key "modles" at the top level; did you mean "models"\? valid keys are region, calendar, /,
    );
  });

  it('deep inside a section', () => {
    const err = configErrorOf(() =>
      parseConfig({ region: 'us', models: { xgboost: { learning_rate: 0.05 } } }, 'c'),
    );
    expect(err.keyPath).toBe('models.xgboost.learning_rate');
    expect(err.message).toContain('unknown key "learning_rate" in models.xgboost;');
    expect(err.message).toContain('valid keys are max_depth, n_estimators, eta,');
  });

  it('without a guess when nothing is close', () => {
    const err = configErrorOf(() => parseConfig({ region: 'us', labels: { zzzzzzzzzzzz: 1 } }, 'c'));
    expect(err.message).toBe(
      'c: labels.zzzzzzzzzzzz = 1 is not allowed: unknown key "zzzzzzzzzzzz" in labels; valid keys are horizons',
    );
  });
});
