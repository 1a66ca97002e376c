import { parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

describe('feature names are checked against SPEC §2', () => {
  it('an unknown name is rejected, listing the valid ones', () => {
    const err = configErrorOf(() =>
      parseConfig('region: us\nfeatures:\n  names: [mom_12_1, momentum]\n', 'config/us.yaml'),
    );
    expect(err.message).toBe(
      'config/us.yaml: features.names[1] = "momentum" is not allowed: unknown feature; valid features are ' +
        'mom_12_1, rev_1m, ma_gap_20, ma_gap_50, ma_gap_200, rsi_14, vol_20, vol_60, dd_252, mdd_126, ' +
        'vlm_ratio_5_20, amihud_20, turnover_20',
    );
    expect(err.keyPath).toBe('features.names[1]');
  });

  it('a subset in SPEC order is accepted', () => {
    const c = parseConfig({ region: 'us', features: { names: ['rev_1m', 'vol_20', 'turnover_20'] } }, 'x');
    expect(c.features.names).toEqual(['rev_1m', 'vol_20', 'turnover_20']);
  });

  it('a list out of SPEC order is rejected with the order to write', () => {
    const err = configErrorOf(() =>
      parseConfig({ region: 'us', features: { names: ['vol_20', 'rev_1m'] } }, 'x'),
    );
    expect(err.message).toBe(
      'x: features.names = ["vol_20","rev_1m"] is not allowed: features must keep the SPEC §2 order ' +
        "(it matters to XGBoost's column sampling): rev_1m, vol_20",
    );
  });

  it('a name listed twice is rejected', () => {
    const err = configErrorOf(() =>
      parseConfig({ region: 'us', features: { names: ['rev_1m', 'rev_1m'] } }, 'x'),
    );
    expect(err.message).toBe(
      'x: features.names[1] = "rev_1m" is not allowed: feature "rev_1m" is listed twice',
    );
  });

  it('an empty list is rejected', () => {
    expect(configErrorOf(() => parseConfig({ region: 'us', features: { names: [] } }, 'x')).message).toBe(
      'x: features.names = [] is not allowed: at least one model feature is needed',
    );
  });
});
