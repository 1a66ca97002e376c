/**
 * Scenario: the portfolio engine stepped date by date (risk model, book and
 * optimizer composed in one class, the live service's path) against the
 * batch backtest of @alphafeed/backtest (`runBacktest`) with the same parts
 * wired in as hooks by hand: the risk model in `onDate`, a dense optimizer
 * problem over every instrument in `decide` (names outside the engine's
 * problem are pinned to 0 there), the ex-ante vol over every name. US
 * long-short and CN long-only (price limits, stamp duty) on a small synthetic
 * panel. Daily returns, costs, turnover, the weights decided on every
 * rebalance date and the ex-ante vol agree: weights to 1e-6 (two QPs of
 * different sizes, each solved to 1e-8), daily returns, costs and vol to 1e-7 (the weights' differences
 * times the returns), turnover (a sum over the book) to 1e-5.
 */
import { costRatesOn, marketPanelFromBars, runBacktest, type BacktestResult } from '@alphafeed/backtest';
import { parseIsoDay } from '@alphafeed/core';
import { optimizeWeights } from '@alphafeed/optimizer';
import { RiskModel, exAnteVariance } from '@alphafeed/risk';
import { portfolioEngineOptionsFromConfig } from './portfolio.options';
import { runPortfolioBacktest } from './portfolio-backtest';
import { PanelStepInputs } from './step-inputs';
import { smallPanel } from './testing/small-panel';

function batchWithHooks(
  src: PanelStepInputs,
  p: ReturnType<typeof smallPanel>,
  start: number,
): BacktestResult {
  const opts = portfolioEngineOptionsFromConfig(p.config, src);
  const D = src.calendar.length;
  const N = src.instruments.length;
  // Benchmark members: the frame's real rows (the engine's reading of "universe members on t").
  const member = new Uint8Array(D * N);
  for (let r = 0; r < p.frame.length; r++)
    if (p.frame.carried[r] === 0) member[p.frame.date[r] * N + p.frame.instrument[r]] = 1;
  const market = marketPanelFromBars(p.bars, member);
  const model = new RiskModel({ ...opts.risk, industries: src.industries });
  const all = Int32Array.from({ length: N }, (_, i) => i);
  let decisions = 0;
  return runBacktest(
    market,
    {
      mode: opts.mode,
      rebalanceEvery: opts.rebalanceEvery,
      start,
      rules: opts.rules,
      writeOffAfter: opts.writeOffAfter,
      warmUpFrom: 0,
    },
    {
      onDate: (d) => void model.closeDate(d, src.inputOf(d)),
      decide: (t, w, b) => {
        const alphas = src.inputOf(t).alphas!;
        const alphaBps = new Float64Array(N);
        const hasAlpha = new Uint8Array(N);
        for (let k = 0; k < alphas.length; k++) {
          alphaBps[alphas.instrument[k]] = alphas.alphaBps[k];
          hasAlpha[alphas.instrument[k]] = 1;
        }
        const result = optimizeWeights(
          {
            alphaBps,
            hasAlpha,
            horizonDays: alphas.horizonDays,
            currentWeights: w,
            hasBar: market.bar.slice(t * N, t * N + N),
            benchmark: b,
            risk: model.factorRisk(all),
            costs: costRatesOn(opts.rules, parseIsoDay(src.calendar[t])),
            firstRebalance: decisions++ === 0,
          },
          { ...opts.optimizer, mode: opts.mode },
        );
        if (result.status === 'kept_current') return null;
        // Bounds [0, 0] (no alpha, not held, not in the benchmark) mean exactly 0; an interior-point
        // solver returns ~1e-12 there, which would log dust trades the engine's smaller problem has not.
        const weights = result.weights.slice();
        for (let i = 0; i < N; i++)
          if (hasAlpha[i] === 0 && w[i] === 0 && (b === null || b[i] === 0)) weights[i] = 0;
        return weights;
      },
      exAnteVol: (_d, w, b) => {
        const active = Float64Array.from(w, (x, i) => x - (b === null ? 0 : b[i]));
        return Math.sqrt(exAnteVariance(model.factorRisk(all), active));
      },
    },
  );
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k] - b[k]));
  return m;
}

describe.each(['us', 'cn'] as const)(
  '%s: engine stepped date by date = batch backtest with hooks',
  (region) => {
    const p = smallPanel(region);
    const src = new PanelStepInputs(p.bars, p.frame, p.alphas);
    const engine = runPortfolioBacktest(src, portfolioEngineOptionsFromConfig(p.config, src));
    const batch = batchWithHooks(src, p, engine.result.start);

    it('opens on the first alpha date and decides on the same rebalance dates', () => {
      expect(engine.result.start).toBe(p.alphas.date[0]);
      expect(Array.from(engine.result.rebalances.date)).toEqual(Array.from(batch.rebalances.date));
      expect(engine.result.rebalances.length).toBeGreaterThan(10);
      expect(engine.decisions.every((d) => d.status !== 'kept_current')).toBe(true);
    });

    it('decides the same weights on every rebalance date (1e-6)', () => {
      const N = src.instruments.length;
      const dense = (r: BacktestResult, date: number): Float64Array => {
        const out = new Float64Array(N);
        for (let k = 0; k < r.weights.length; k++)
          if (r.weights.date[k] === date) out[r.weights.instrument[k]] = r.weights.target[k];
        return out;
      };
      for (const date of engine.result.rebalances.date)
        expect(maxAbsDiff(dense(engine.result, date), dense(batch, date))).toBeLessThan(1e-6);
    });

    it('books the same daily returns, costs, turnover and ex-ante vol (1e-7)', () => {
      const e = engine.result.daily;
      const b = batch.daily;
      expect(Array.from(e.date)).toEqual(Array.from(b.date));
      for (const key of ['net', 'gross', 'benchmark', 'cost', 'exAnteVol'] as const)
        expect({ key, below: maxAbsDiff(e[key], b[key]) < 1e-7 }).toEqual({ key, below: true });
      // Turnover sums |w - w0| over the book: per-name differences of up to 1e-6 add up.
      expect(maxAbsDiff(e.turnover, b.turnover)).toBeLessThan(1e-5);
      expect(engine.result.statusCounts).toEqual(batch.statusCounts);
      // The book is really traded: costs paid, and in CN the limit and suspension rules have something to do.
      expect(e.cost.reduce((s, c) => s + c, 0)).toBeGreaterThan(0);
    });
  },
);
