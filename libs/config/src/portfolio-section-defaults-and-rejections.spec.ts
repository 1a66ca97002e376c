/**
 * Scenario: the `portfolio:` section (SPEC §9–12) fills the region's market
 * defaults, rejects bad values and cross-field problems with one line naming
 * the key, and hashes exactly the keys the mode uses.
 */
import { configHash } from './config-hash';
import { parseConfig } from './load-config';
import { configErrorOf } from './test-helpers';

const msg = (c: object): string => configErrorOf(() => parseConfig(c, 'c.yaml')).message;

describe('portfolio defaults follow the region', () => {
  it('US: long-short, 5 bps a side, no stamp duty, no price limits', () => {
    const p = parseConfig({ region: 'us' }, 'us').portfolio;
    expect(p).toEqual({
      retrain_every: 63,
      min_train_dates: 504,
      horizon_days: 21,
      rebalance_every: 5,
      mode: 'long_short',
      lambda: 50,
      gross: 2,
      max_weight: 0.01,
      style_bound: 0.05,
      active_max: 0.02,
      industry_bound: 0.03,
      max_turnover: 0.25,
      cost_bps: 5,
      stamp_duty: [],
      price_limits: null,
      risk: { half_life: 90, window: 252, min_residuals: 63, specific_floor_quantile: 0.05 },
    });
  });

  it('CN: long-only, 2.5 bps a side, stamp duty 10 then 5 bps from 2023-08-28, Qlib limits', () => {
    const p = parseConfig({ region: 'cn' }, 'cn').portfolio;
    expect(p.mode).toBe('long_only');
    expect(p.cost_bps).toBe(2.5);
    expect(p.stamp_duty).toEqual([
      { from: null, bps: 10 },
      { from: '2023-08-28', bps: 5 },
    ]);
    expect(p.price_limits).toEqual({
      main: 0.1,
      growth: 0.2,
      margin: 0.005,
      growth_boards: [
        { prefix: 'SZ300', from: '2020-08-24' },
        { prefix: 'SH688', from: null },
      ],
    });
  });

  it('a partial price_limits mapping keeps the other CN defaults; null switches limits off', () => {
    const p = parseConfig({ region: 'cn', portfolio: { price_limits: { main: 0.05 } } }, 'cn').portfolio;
    expect(p.price_limits?.main).toBe(0.05);
    expect(p.price_limits?.growth).toBe(0.2);
    expect(
      parseConfig({ region: 'cn', portfolio: { price_limits: null } }, 'cn').portfolio.price_limits,
    ).toBeNull();
    expect(
      parseConfig({ region: 'us', portfolio: { max_turnover: null } }, 'us').portfolio.max_turnover,
    ).toBeNull();
  });
});

describe('bad portfolio values are one line naming the key', () => {
  it('single keys', () => {
    expect(msg({ region: 'us', portfolio: { mode: 'long' } })).toBe(
      'c.yaml: portfolio.mode = "long" is not allowed: must be "long_short" or "long_only"',
    );
    expect(msg({ region: 'us', portfolio: { rebalance_every: 0 } })).toBe(
      'c.yaml: portfolio.rebalance_every = 0 is not allowed: must be a positive integer',
    );
    expect(msg({ region: 'us', portfolio: { max_weight: 1.5 } })).toBe(
      'c.yaml: portfolio.max_weight = 1.5 is not allowed: must be a fraction of capital in (0, 1]',
    );
    expect(msg({ region: 'us', portfolio: { max_turnover: 0 } })).toBe(
      'c.yaml: portfolio.max_turnover = 0 is not allowed: must be a one-sided fraction > 0 per rebalance, or null for no limit',
    );
    expect(msg({ region: 'us', portfolio: { stamp_duty: [{ from: '2023-02-30', bps: 5 }] } })).toBe(
      'c.yaml: portfolio.stamp_duty[0].from = "2023-02-30" is not allowed: must be a valid calendar date written YYYY-MM-DD',
    );
    expect(msg({ region: 'us', portfolio: { risk: { halflife: 90 } } })).toMatch(
      /^c\.yaml: portfolio\.risk\.halflife = 90 is not allowed: unknown key "halflife" in portfolio\.risk; did you mean "half_life"\?/,
    );
  });

  it('stamp duty steps must ascend, only the first may start at null', () => {
    expect(
      msg({
        region: 'cn',
        portfolio: {
          stamp_duty: [
            { from: '2023-08-28', bps: 5 },
            { from: '2008-09-19', bps: 10 },
          ],
        },
      }),
    ).toBe(
      'c.yaml: portfolio.stamp_duty[1].from = "2008-09-19" is not allowed: steps must be in ascending date order; the step before starts 2023-08-28',
    );
    expect(
      msg({
        region: 'cn',
        portfolio: {
          stamp_duty: [
            { from: '2008-09-19', bps: 10 },
            { from: null, bps: 5 },
          ],
        },
      }),
    ).toBe(
      'c.yaml: portfolio.stamp_duty[1].from = null is not allowed: only the first step may start at null (the start of the data)',
    );
  });

  it('the limit margin must be below both limits; min residuals within the window', () => {
    expect(msg({ region: 'cn', portfolio: { price_limits: { margin: 0.1 } } })).toBe(
      'c.yaml: portfolio.price_limits.margin = 0.1 is not allowed: must be below the smaller limit (0.1)',
    );
    expect(msg({ region: 'us', portfolio: { risk: { window: 60 } } })).toBe(
      'c.yaml: portfolio.risk.min_residuals = 63 is not allowed: must not exceed portfolio.risk.window (60): no instrument could ever reach it',
    );
  });
});

describe('config_hash covers the keys the mode uses', () => {
  const hash = (c: object): string => configHash(parseConfig(c, 'c'));

  it('every used portfolio number changes the hash', () => {
    const base = hash({ region: 'us' });
    for (const patch of [
      { lambda: 40 },
      { gross: 1.5 },
      { max_weight: 0.02 },
      { rebalance_every: 10 },
      { cost_bps: 4 },
      { max_turnover: null },
      { risk: { half_life: 60 } },
    ]) {
      expect(hash({ region: 'us', portfolio: patch })).not.toBe(base);
    }
  });

  it('long_only ignores gross and max_weight, long_short ignores active_max', () => {
    expect(hash({ region: 'cn', portfolio: { gross: 1.5, max_weight: 0.5 } })).toBe(hash({ region: 'cn' }));
    expect(hash({ region: 'cn', portfolio: { active_max: 0.05 } })).not.toBe(hash({ region: 'cn' }));
    expect(hash({ region: 'us', portfolio: { active_max: 0.05 } })).toBe(hash({ region: 'us' }));
  });
});
