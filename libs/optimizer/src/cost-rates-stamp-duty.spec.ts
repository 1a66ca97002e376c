/** SPEC §11 cost rates: US flat, CN commission + stamp duty on sells (10 bps before 2023-08-28, 5 from then). */
import { DEFAULT_CN_COSTS, DEFAULT_US_COSTS, costRates, validateCostModel } from './index';

describe('cost rates', () => {
  it('US: 5 bps each way', () => {
    expect(costRates(DEFAULT_US_COSTS, '2020-01-02')).toEqual({ buy: 5e-4, sell: 5e-4 });
  });

  it('CN: the stamp duty of the date, switching on 2023-08-28', () => {
    const before = costRates(DEFAULT_CN_COSTS, '2023-08-25');
    const on = costRates(DEFAULT_CN_COSTS, '2023-08-28');
    expect(before.buy).toBeCloseTo(2.5e-4, 15);
    expect(before.sell).toBeCloseTo(12.5e-4, 15);
    expect(on.buy).toBeCloseTo(2.5e-4, 15);
    expect(on.sell).toBeCloseTo(7.5e-4, 15);
  });

  it('refuses a bad date or schedule', () => {
    expect(() => costRates(DEFAULT_US_COSTS, '2023/08/28')).toThrow(
      /ISO date YYYY-MM-DD, got "2023\/08\/28"/,
    );
    expect(() =>
      validateCostModel({
        kind: 'cn',
        commissionBps: 2.5,
        stampDuty: [
          { from: '2024-01-01', bps: 5 },
          { from: '2023-01-01', bps: 10 },
        ],
      }),
    ).toThrow(/sorted by ISO "from" dates/);
  });
});
