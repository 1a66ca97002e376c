/**
 * Scenario: the columnar engine against a naive twin that follows SPEC §12
 * sentence by sentence with per-name objects and maps, on seeded random
 * markets with gaps, listings and delistings, big moves (so the CN limits
 * bite), random targets in both modes, US and CN rules. Daily returns,
 * costs, turnover, benchmark, final weights and every trade status agree.
 */
import { parseConfig } from '@alphafeed/config';
import { Rng } from '@alphafeed/core';
import { runBacktest, TRADE_STATUSES, type BacktestMode } from './backtest.engine';
import type { MarketPanel } from './market-panel';
import { costRatesOn, priceLimitOn, tradingRulesFromConfig, type TradingRules } from './trading-rules';

interface Name {
  code: string;
  w: number;
  gap: number;
}

/** SPEC §12, literally. Returns per-day records and the trade statuses in order. */
function naive(
  m: MarketPanel,
  mode: BacktestMode,
  every: number,
  start: number,
  rules: TradingRules,
  targets: Map<number, number[]>,
) {
  const D = m.calendar.length;
  const N = m.instruments.length;
  const names: Name[] = m.instruments.map((code) => ({ code, w: 0, gap: 0 }));
  const has = (d: number, i: number): boolean => m.bar[d * N + i] === 1;
  const r = (d: number, i: number): number =>
    has(d, i) && Number.isFinite(m.ret[d * N + i]) ? m.ret[d * N + i] : 0;
  const days: { gross: number; bench: number; cost: number; turnover: number }[] = [];
  const statuses: string[] = [];
  let pending: number[] | null = null;
  for (let d = start; d < D; d++) {
    if (d > start) {
      const gross = names.reduce((s, n, i) => s + n.w * r(d, i), 0);
      const members = names.map((_, i) => i).filter((i) => m.member[(d - 1) * N + i] === 1);
      const bench =
        mode === 'long_only' && members.length > 0
          ? members.reduce((s, i) => s + r(d, i), 0) / members.length
          : 0;
      names.forEach((n, i) => (n.w = (n.w * (1 + r(d, i))) / (1 + gross)));
      const day = Date.parse(`${m.calendar[d]}T00:00:00Z`) / 86_400_000;
      const { buy, sell } = costRatesOn(rules, day);
      let cost = 0;
      let traded = 0;
      names.forEach((n, i) => {
        n.gap = has(d, i) ? 0 : n.gap + 1;
        if (n.gap >= 5 && n.w !== 0) {
          cost += n.w > 0 ? sell * n.w : -buy * n.w;
          traded += Math.abs(n.w);
          statuses.push('write_off');
          n.w = 0;
        }
      });
      if (pending !== null) {
        const tgt = pending;
        const st = new Map<number, string>();
        let buys = 0;
        let sells = 0;
        names.forEach((n, i) => {
          if (tgt[i] === n.w) return;
          if (!has(d, i)) return st.set(i, 'no_bar');
          const lim = priceLimitOn(rules, n.code, day) - (rules.priceLimits?.margin ?? 0);
          if (has(d - 1, i) && tgt[i] > n.w && m.ret[d * N + i] >= lim) return st.set(i, 'limit_up');
          if (has(d - 1, i) && tgt[i] < n.w && m.ret[d * N + i] <= -lim) return st.set(i, 'limit_down');
          st.set(i, 'filled');
          if (tgt[i] > n.w) buys += tgt[i] - n.w;
          else sells += n.w - tgt[i];
        });
        let scale = 1;
        if (mode === 'long_only') {
          const cash = 1 - names.reduce((s, n) => s + n.w, 0);
          if (buys > cash + sells + 1e-7) scale = Math.max(0, cash + sells) / buys;
        }
        for (const [i, s] of st) {
          const n = names[i];
          if (s === 'filled') {
            let delta = tgt[i] - n.w;
            let status = s;
            if (delta > 0 && scale < 1) {
              delta *= scale;
              status = 'scaled';
            }
            cost += delta > 0 ? buy * delta : -sell * delta;
            traded += Math.abs(delta);
            n.w += delta;
            statuses.push(status);
          } else statuses.push(s);
        }
        pending = null;
      }
      days.push({ gross, bench, cost, turnover: traded / 2 });
    }
    if ((d - start) % every === 0 && d < D - 1) pending = targets.get(d) ?? null;
  }
  return { days, statuses, weights: names.map((n) => n.w) };
}

function randomCase(seed: number, region: 'us' | 'cn', mode: BacktestMode) {
  const rng = new Rng(seed);
  const D = 90;
  const N = 12;
  const codes = [
    'SH600000',
    'SZ300001',
    'SH688001',
    'SZ000002',
    'SH600003',
    'SZ300004',
    'SH600005',
    'SH600006',
    'SZ000007',
    'SH600008',
    'SH688009',
    'SZ300010',
  ];
  const calendar = Array.from({ length: D }, (_, d) =>
    new Date(Date.UTC(2020, 7, 3) + d * 86_400_000).toISOString().slice(0, 10),
  );
  const ret = new Float64Array(D * N).fill(NaN);
  const bar = new Uint8Array(D * N);
  for (let i = 0; i < N; i++) {
    const first = rng.uniform() < 0.2 ? rng.int(30) : 0;
    const last = rng.uniform() < 0.2 ? 40 + rng.int(40) : D - 1;
    for (let d = first; d <= last; d++) {
      if (d > first && rng.uniform() < 0.05) continue; // a missing bar
      bar[d * N + i] = 1;
      ret[d * N + i] = d === first ? NaN : Math.max(-0.25, Math.min(0.25, rng.normal() * 0.07));
    }
  }
  const market: MarketPanel = { calendar, instruments: codes, ret, bar, member: bar };
  const every = 1 + rng.int(5);
  const start = rng.int(10);
  const targets = new Map<number, number[]>();
  for (let t = start; t < D; t += every) {
    if (rng.uniform() < 0.1) continue; // keep
    const raw = Array.from({ length: N }, () =>
      rng.uniform() < 0.3 ? 0 : mode === 'long_only' ? rng.uniform() : rng.normal(),
    );
    const total = raw.reduce((s, x) => s + Math.abs(x), 0) || 1;
    targets.set(
      t,
      raw.map((x) => (mode === 'long_only' ? x / total : (2 * x) / total)),
    );
  }
  const rules = tradingRulesFromConfig(parseConfig({ region }, region).portfolio);
  return { market, mode, every, start, rules, targets };
}

describe.each([
  ['us', 'long_short'],
  ['cn', 'long_only'],
  ['cn', 'long_short'],
  ['us', 'long_only'],
] as const)('%s %s', (region, mode) => {
  test.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i', (seed) => {
    const c = randomCase(seed * 31 + region.length + mode.length, region, mode);
    const twin = naive(c.market, c.mode, c.every, c.start, c.rules, c.targets);
    const res = runBacktest(
      c.market,
      { mode: c.mode, rebalanceEvery: c.every, start: c.start, rules: c.rules },
      { decide: (t) => (c.targets.has(t) ? Float64Array.from(c.targets.get(t) as number[]) : null) },
    );
    expect(res.daily.length).toBe(twin.days.length);
    twin.days.forEach((day, k) => {
      expect(res.daily.gross[k]).toBeCloseTo(day.gross, 12);
      expect(res.daily.benchmark[k]).toBeCloseTo(day.bench, 12);
      expect(res.daily.cost[k]).toBeCloseTo(day.cost, 13);
      expect(res.daily.turnover[k]).toBeCloseTo(day.turnover, 12);
      expect(res.daily.net[k]).toBeCloseTo(day.gross - day.cost, 12);
    });
    twin.weights.forEach((w, i) => expect(res.finalWeights[i]).toBeCloseTo(w, 12));
    expect(Array.from(res.trades.status, (s) => TRADE_STATUSES[s])).toEqual(twin.statuses);
  });
});
