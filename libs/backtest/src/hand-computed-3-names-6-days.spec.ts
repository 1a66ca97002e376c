/**
 * Scenario: three names over six dates (eight for the delisting), every
 * number of SPEC §12 worked out by hand in the comments: drift, costs on
 * fills, an unfilled limit-up buy, an unfilled limit-down sell with the
 * long-only buys scaled to the cash left, a suspension (no fill), the stamp
 * duty change of 2023-08-28 on the fill date, the equal-weighted benchmark,
 * and a delisted name written off at its last close on the 5th date without
 * a bar. The expected values are written as the arithmetic of the comments,
 * from the literals of the scenario, not by calling the engine's code.
 */
import { runBacktest, type BacktestResult } from './backtest.engine';
import { handMarket, threeNameMarket, scriptedTargets } from './testing/hand-market';
import type { TradingRules } from './trading-rules';

const US: TradingRules = { cost: 5e-4, stampDuty: [], priceLimits: null };
const CN: TradingRules = {
  cost: 2.5e-4,
  stampDuty: [
    { fromDay: -Infinity, rate: 10e-4 },
    { fromDay: Date.UTC(2023, 7, 28) / 86_400_000, rate: 5e-4 },
  ],
  priceLimits: {
    main: 0.1,
    growth: 0.2,
    margin: 0.005,
    growthBoards: [
      { prefix: 'SZ300', fromDay: Date.UTC(2020, 7, 24) / 86_400_000 },
      { prefix: 'SH688', fromDay: -Infinity },
    ],
  },
};
const EXACT = 14;

function trades(
  r: BacktestResult,
): { date: number; name: string; status: string; traded: number; cost: number }[] {
  const statuses = ['filled', 'scaled', 'no_bar', 'limit_up', 'limit_down', 'write_off'];
  return Array.from({ length: r.trades.length }, (_, k) => ({
    date: r.trades.fillDate[k],
    name: r.instruments[r.trades.instrument[k]],
    status: statuses[r.trades.status[k]],
    traded: r.trades.traded[k],
    cost: r.trades.cost[k],
  }));
}

describe('long-short, 5 bps a side: drift and costs', () => {
  // Returns (date 0 is every name's first bar):
  //        d1     d2     d3     d4     d5
  //   A  +0.05  -0.02  +0.01   0.00  +0.03
  //   B  -0.04  +0.03  -0.01  +0.02  -0.02
  //   C  +0.01  +0.01  +0.02  -0.03  +0.01
  // Rebalance every 3 dates from date 0: decisions on d0 (A +0.5, B -0.5) and d3 (A 0.2, B -0.4, C 0.2).
  const market = handMarket(
    ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'],
    ['A', 'B', 'C'],
    [
      [NaN, 0.05, -0.02, 0.01, 0.0, 0.03],
      [NaN, -0.04, 0.03, -0.01, 0.02, -0.02],
      [NaN, 0.01, 0.01, 0.02, -0.03, 0.01],
    ],
  );
  const r = runBacktest(
    market,
    { mode: 'long_short', rebalanceEvery: 3, start: 0, rules: US },
    {
      decide: scriptedTargets({
        0: [0.5, -0.5, 0],
        3: [0.2, -0.4, 0.2],
      }),
    },
  );
  const d = r.daily;

  // d1: the book was cash, R_gross = 0. Fills at the close: buy 0.5 A, sell 0.5 B.
  //     cost = 5e-4 * (0.5 + 0.5) = 5e-4; R = -5e-4; one-sided turnover (0.5 + 0.5) / 2 = 0.5.
  test('date 1: first build from cash, costs only', () => {
    expect(d.gross[0]).toBe(0);
    expect(d.cost[0]).toBeCloseTo(5e-4, EXACT);
    expect(d.net[0]).toBeCloseTo(-5e-4, EXACT);
    expect(d.turnover[0]).toBeCloseTo(0.5, EXACT);
    expect([d.grossExposure[0], d.netExposure[0], d.longCount[0], d.shortCount[0]]).toEqual([1, 0, 1, 1]);
  });

  // d2: R_gross = 0.5 * -0.02 + (-0.5) * 0.03 = -0.025.
  //     drift: A = 0.5 * 0.98 / 0.975 = 0.502564..., B = -0.5 * 1.03 / 0.975 = -0.528205...
  const wA2 = (0.5 * 0.98) / 0.975;
  const wB2 = (-0.5 * 1.03) / 0.975;
  test('date 2: return of the held weights, no trade', () => {
    expect(d.gross[1]).toBeCloseTo(-0.025, EXACT);
    expect(d.net[1]).toBeCloseTo(-0.025, EXACT);
    expect(d.cost[1]).toBe(0);
    expect(d.grossExposure[1]).toBeCloseTo(wA2 - wB2, EXACT);
    expect(d.netExposure[1]).toBeCloseTo(wA2 + wB2, EXACT);
  });

  // d3: R_gross = 0.01 * wA2 - 0.01 * wB2 = 0.010307...; drift again. The d3 decision sees these weights.
  const r3 = 0.01 * wA2 + -0.01 * wB2;
  const wA3 = (wA2 * 1.01) / (1 + r3);
  const wB3 = (wB2 * 0.99) / (1 + r3);
  test('date 3: drifted weights are what the decision sees', () => {
    expect(d.gross[2]).toBeCloseTo(r3, EXACT);
    expect(r.weights.date[0]).toBe(0);
    const at3 = [...r.weights.date].map((x, k) => [x, k]).filter(([x]) => x === 3);
    expect(at3.map(([, k]) => [r.weights.instrument[k], r.weights.weight[k], r.weights.target[k]])).toEqual([
      [0, expect.closeTo(wA3, EXACT), 0.2],
      [1, expect.closeTo(wB3, EXACT), -0.4],
      [2, 0, 0.2],
    ]);
  });

  // d4: R_gross = 0 * wA3 + 0.02 * wB3; drift to wA4, wB4; then fill the d3 targets at the close:
  //     A sells wA4 - 0.2, B buys 0.4 + wB4 (cover), C buys 0.2; cost = 5e-4 * total traded.
  const r4 = 0.02 * wB3;
  const wA4 = wA3 / (1 + r4);
  const wB4 = (wB3 * 1.02) / (1 + r4);
  const traded4 = wA4 - 0.2 + (-0.4 - wB4) + 0.2;
  test('date 4: the rebalance fills at the next close, costs on what traded', () => {
    expect(d.gross[3]).toBeCloseTo(r4, EXACT);
    expect(d.cost[3]).toBeCloseTo(5e-4 * traded4, EXACT);
    expect(d.net[3]).toBeCloseTo(r4 - 5e-4 * traded4, EXACT);
    expect(d.turnover[3]).toBeCloseTo(traded4 / 2, EXACT);
    expect(trades(r).filter((t) => t.date === 4)).toEqual([
      {
        date: 4,
        name: 'A',
        status: 'filled',
        traded: expect.closeTo(0.2 - wA4, EXACT),
        cost: expect.closeTo(5e-4 * (wA4 - 0.2), EXACT),
      },
      {
        date: 4,
        name: 'B',
        status: 'filled',
        traded: expect.closeTo(-0.4 - wB4, EXACT),
        cost: expect.closeTo(5e-4 * (-0.4 - wB4), EXACT),
      },
      { date: 4, name: 'C', status: 'filled', traded: 0.2, cost: expect.closeTo(1e-4, EXACT) },
    ]);
  });

  // d5: R_gross = 0.2 * 0.03 + (-0.4) * (-0.02) + 0.2 * 0.01 = 0.016 exactly the targets' return.
  test('date 5: the filled targets earn the day', () => {
    expect(d.gross[4]).toBeCloseTo(0.016, EXACT);
    expect(r.finalWeights[0]).toBeCloseTo((0.2 * 1.03) / 1.016, EXACT);
    expect(d.benchmark.every((b) => b === 0)).toBe(true);
    expect([...d.active]).toEqual([...d.net]);
  });
});

describe('long-only CN: limit-up buy, limit-down sell, scaled buys, suspension, stamp duty change', () => {
  // SH600000 (X, ±10 %), SH600002 (Z, ±10 %), SZ300001 (Y, ChiNext: ±20 % since 2020-08-24).
  //        d1 08-22  d2 08-23  d3 08-24  d4 08-25  d5 08-28
  //   X     +0.02     +0.01     -0.10     +0.03     -0.01
  //   Z     -0.01     +0.03     +0.01     (none)    (none)      suspended from d4
  //   Y     +0.20     -0.05     +0.04     +0.02     +0.05
  // Rebalance every 2 dates: d0 (X .5, Z .2, Y .3), d2 (X .2, Z .4, Y .4), d4 (X 0, Z .5, Y .5).
  const market = handMarket(
    ['2023-08-21', '2023-08-22', '2023-08-23', '2023-08-24', '2023-08-25', '2023-08-28'],
    ['SH600000', 'SH600002', 'SZ300001'],
    [
      [NaN, 0.02, 0.01, -0.1, 0.03, -0.01],
      [NaN, -0.01, 0.03, 0.01, null, null],
      [NaN, 0.2, -0.05, 0.04, 0.02, 0.05],
    ],
  );
  const r = runBacktest(
    market,
    { mode: 'long_only', rebalanceEvery: 2, start: 0, rules: CN },
    {
      decide: scriptedTargets({
        0: [0.5, 0.2, 0.3],
        2: [0.2, 0.4, 0.4],
        4: [0, 0.5, 0.5],
      }),
    },
  );
  const d = r.daily;
  const t = trades(r);

  // d1: Y closes +20 % >= 0.2 - 0.005 after a bar on d0: limit-up, the buy is not filled and 0.3 stays in cash.
  //     X and Z fill: cost = 2.5e-4 * (0.5 + 0.2) = 1.75e-4. Benchmark: members on d0 are X, Z, Y:
  //     B1 = (0.02 - 0.01 + 0.20) / 3 = 0.07.
  test('date 1: limit-up buy unfilled, its cash stays cash', () => {
    expect(t.filter((x) => x.date === 1).map((x) => [x.name, x.status])).toEqual([
      ['SH600000', 'filled'],
      ['SH600002', 'filled'],
      ['SZ300001', 'limit_up'],
    ]);
    expect(d.cost[0]).toBeCloseTo(1.75e-4, EXACT);
    expect(d.benchmark[0]).toBeCloseTo(0.07, EXACT);
    expect(d.netExposure[0]).toBeCloseTo(0.7, EXACT);
    expect(d.turnover[0]).toBeCloseTo(0.35, EXACT);
  });

  // d2: R_gross = 0.5 * 0.01 + 0.2 * 0.03 = 0.011; X = 0.505 / 1.011, Z = 0.206 / 1.011; cash = 0.3 / 1.011.
  //     B2 = (0.01 + 0.03 - 0.05) / 3.
  const x2 = 0.505 / 1.011;
  const z2 = 0.206 / 1.011;
  test('date 2: cash earns 0, the benchmark is the equal-weighted members', () => {
    expect(d.gross[1]).toBeCloseTo(0.011, EXACT);
    expect(d.benchmark[1]).toBeCloseTo(-0.01 / 3, EXACT);
    expect(d.active[1]).toBeCloseTo(0.011 + 0.01 / 3, EXACT);
  });

  // d3: R_gross = x2 * -0.10 + z2 * 0.01; drift to x3, z3. X's sell to 0.2 is at limit-down
  //     (-0.10 <= -(0.1 - 0.005)): not filled, X keeps x3. Cash = 1 - x3 - z3 and no sell proceeds, but the
  //     filled buys want (0.4 - z3) + 0.4: both are scaled by s = cash / buys (pro rata, cash ends at 0).
  const r3 = x2 * -0.1 + z2 * 0.01;
  const x3 = (x2 * 0.9) / (1 + r3);
  const z3 = (z2 * 1.01) / (1 + r3);
  const cash3 = 1 - x3 - z3;
  const buys3 = 0.4 - z3 + 0.4;
  const s = cash3 / buys3;
  const z3f = z3 + s * (0.4 - z3);
  const y3f = s * 0.4;
  test('date 3: limit-down sell unfilled, buys scaled down pro rata so cash is never negative', () => {
    expect(d.gross[2]).toBeCloseTo(r3, EXACT);
    expect(s).toBeLessThan(1);
    expect(t.filter((x) => x.date === 3)).toEqual([
      { date: 3, name: 'SH600000', status: 'limit_down', traded: 0, cost: 0 },
      {
        date: 3,
        name: 'SH600002',
        status: 'scaled',
        traded: expect.closeTo(s * (0.4 - z3), EXACT),
        cost: expect.closeTo(2.5e-4 * s * (0.4 - z3), EXACT),
      },
      {
        date: 3,
        name: 'SZ300001',
        status: 'scaled',
        traded: expect.closeTo(y3f, EXACT),
        cost: expect.closeTo(2.5e-4 * y3f, EXACT),
      },
    ]);
    expect(d.netExposure[2]).toBeCloseTo(1, EXACT); // fully invested, no negative cash
    expect(d.cost[2]).toBeCloseTo(2.5e-4 * cash3, EXACT);
  });

  // d4: Z has no bar: it earns 0 that day. R_gross = x3 * 0.03 + y3f * 0.02. B4 = (0.03 + 0 + 0.02) / 3
  //     (Z was a member on d3). The d4 decision still targets Z at 0.5.
  const r4 = x3 * 0.03 + y3f * 0.02;
  const x4 = (x3 * 1.03) / (1 + r4);
  const z4 = z3f / (1 + r4);
  const y4 = (y3f * 1.02) / (1 + r4);
  // d5 (2023-08-28, stamp duty 5 bps from this date): R_gross = -0.01 x4 + 0.05 y4; B5 = (-0.01 + 0.05) / 2
  //     (members on d4: X and Y). Fills: X sells all at 2.5 + 5 bps; Z has no bar (suspended): not traded;
  //     Y buys to 0.5 with the X proceeds (enough cash, not scaled) at 2.5 bps.
  const r5 = -0.01 * x4 + 0.05 * y4;
  const x5 = (x4 * 0.99) / (1 + r5);
  const y5 = (y4 * 1.05) / (1 + r5);
  const cost5 = 7.5e-4 * x5 + 2.5e-4 * (0.5 - y5);
  test('dates 4-5: a suspended name is not traded; the sell pays the fill date stamp duty (5 bps from 2023-08-28)', () => {
    expect(d.gross[3]).toBeCloseTo(r4, EXACT);
    expect(d.benchmark[3]).toBeCloseTo(0.05 / 3, EXACT);
    expect(d.gross[4]).toBeCloseTo(r5, EXACT);
    expect(d.benchmark[4]).toBeCloseTo(0.02, EXACT);
    expect(t.filter((x) => x.date === 5).map((x) => [x.name, x.status])).toEqual([
      ['SH600000', 'filled'],
      ['SH600002', 'no_bar'],
      ['SZ300001', 'filled'],
    ]);
    expect(d.cost[4]).toBeCloseTo(cost5, EXACT);
    expect(d.net[4]).toBeCloseTo(r5 - cost5, EXACT);
    expect([...r.finalWeights]).toEqual([0, expect.closeTo(z4 / (1 + r5), EXACT), 0.5]);
    expect(r.statusCounts).toEqual({
      filled: 4,
      scaled: 2,
      no_bar: 1,
      limit_up: 1,
      limit_down: 1,
      write_off: 0,
    });
  });
});

describe('long-short: a delisted name is written off at its last close on the 5th date without a bar', () => {
  //        d1     d2     d3..d7
  //   P  +0.02  -0.01   (none: delisted after d2)
  //   Q  +0.01  +0.02  -0.01, 0, +0.01, -0.02, +0.03
  //   R  +0.01  +0.02  (none), (none), +0.10, +0.01, -0.01     suspended d3-d4, resumes d5
  // Decisions on d0 (P .3, Q -.3) and d4 (P 0, Q -.3, R .2).
  const market = threeNameMarket();
  const r = runBacktest(
    market,
    { mode: 'long_short', rebalanceEvery: 4, start: 0, rules: US },
    { decide: scriptedTargets({ 0: [0.3, -0.3, 0], 4: [0, -0.3, 0.2] }) },
  );
  const d = r.daily;

  // d2: R = 0.3 * -0.01 + (-0.3) * 0.02 = -0.009. d3: P has no bar (r = 0), R_gross = -0.01 * q2.
  const p2 = (0.3 * 0.99) / 0.991;
  const q2 = (-0.3 * 1.02) / 0.991;
  const r3 = -0.01 * q2;
  const p3 = p2 / (1 + r3);
  const q3 = (q2 * 0.99) / (1 + r3);
  // d4: Q's return is 0, so R_gross = 0 and nothing drifts. d5: R_gross = 0.01 * q3; P's sell to 0 has no
  //     bar: not traded; Q covers to -0.3; R (first bar after its gap) buys 0.2.
  const r5 = 0.01 * q3;
  const p5 = p3 / (1 + r5);
  const q5 = (q3 * 1.01) / (1 + r5);
  // d6: R_gross = -0.02 * -0.3 + 0.01 * 0.2 = 0.008. d7: P's 5th date without a bar (d3..d7): written off
  //     at its last close, a sell of p7 at 5 bps; R_gross = 0.03 * q6 - 0.01 * r6.
  const p6 = p5 / 1.008;
  const q6 = (-0.3 * 0.98) / 1.008;
  const w6 = (0.2 * 1.01) / 1.008;
  const r7 = 0.03 * q6 - 0.01 * w6;
  const p7 = p6 / (1 + r7);

  test('the suspended name keeps its weight, the others fill', () => {
    expect(d.gross[1]).toBeCloseTo(-0.009, EXACT);
    expect(d.gross[2]).toBeCloseTo(r3, EXACT);
    expect(d.gross[3]).toBe(0);
    expect(d.gross[4]).toBeCloseTo(r5, EXACT);
    expect(d.cost[4]).toBeCloseTo(5e-4 * (-0.3 - q5 + 0.2), EXACT); // Q buys back -0.3 - q5 > 0, R buys 0.2
    expect(
      trades(r)
        .filter((x) => x.date === 5)
        .map((x) => [x.name, x.status]),
    ).toEqual([
      ['P', 'no_bar'],
      ['Q', 'filled'],
      ['R', 'filled'],
    ]);
    expect(d.gross[5]).toBeCloseTo(0.008, EXACT);
  });

  test('written off on the 5th date without a bar, with sell costs, counted in turnover', () => {
    expect(d.gross[6]).toBeCloseTo(r7, EXACT);
    expect(d.cost[6]).toBeCloseTo(5e-4 * p7, EXACT);
    expect(d.turnover[6]).toBeCloseTo(p7 / 2, EXACT);
    expect(r.finalWeights[0]).toBe(0);
    expect(trades(r).filter((x) => x.status === 'write_off')).toEqual([
      {
        date: 7,
        name: 'P',
        status: 'write_off',
        traded: expect.closeTo(-p7, EXACT),
        cost: expect.closeTo(5e-4 * p7, EXACT),
      },
    ]);
  });
});
