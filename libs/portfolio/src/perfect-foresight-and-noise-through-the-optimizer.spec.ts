/**
 * Scenario (issue 8 acceptance, the optimizer path): the whole portfolio
 * engine — risk model, Clarabel on every rebalance date with the SPEC §11
 * constraints (turnover limit included), next-close fills and costs — on a
 * small synthetic US panel (60 names, 3 years). An alpha that knows the
 * returns of the coming holding period (fill at t+1 to the next fill,
 * horizon 5 days) earns a very high Sharpe net of costs; pure-noise alphas
 * earn a gross Sharpe indistinguishable from 0 (|t| < 3, t = Sharpe *
 * sqrt(years)) and lose their costs net. The quintile-rule version of this
 * test (libs/backtest) covers the accounting alone.
 */
import { summarizeBacktest } from '@alphafeed/backtest';
import { Rng } from '@alphafeed/core';
import { portfolioEngineOptionsFromConfig } from './portfolio.options';
import { runPortfolioBacktest } from './portfolio-backtest';
import { barReturns, PanelStepInputs, type AlphaColumns } from './step-inputs';
import { smallPanel } from './testing/small-panel';

const EVERY = 5;
const p = smallPanel('us', { instruments: 60, years: 3 });
const D = p.bars.calendar.length;
const N = p.bars.instruments.length;

/** Dense daily returns (0 without a bar) for the foresight alpha. */
const dense = new Float64Array(D * N);
{
  const r = barReturns(p.bars);
  for (let row = 0; row < p.bars.length; row++) {
    const x = r[row];
    dense[p.bars.date[row] * N + p.bars.instrument[row]] = x === x ? x : 0;
  }
}

function alphaTable(value: (t: number, i: number) => number, horizonDays: number): AlphaColumns {
  const base = p.alphas;
  const alphaCombined = Float64Array.from({ length: base.length }, (_, k) =>
    value(base.date[k], base.instrument[k]),
  );
  return { ...base, alphaCombined, horizonDays: new Float64Array(base.length).fill(horizonDays) };
}

function run(alphas: AlphaColumns) {
  const src = new PanelStepInputs(p.bars, p.frame, alphas);
  const { result, decisionCounts } = runPortfolioBacktest(
    src,
    portfolioEngineOptionsFromConfig(p.config, src),
  );
  return { result, decisionCounts, metrics: summarizeBacktest(result) };
}

it('perfect foresight: a very high Sharpe net of costs, through the optimizer', () => {
  const foresight = (t: number, i: number): number => {
    let growth = 1;
    for (let d = t + 2; d <= Math.min(D - 1, t + 1 + EVERY); d++) growth *= 1 + dense[d * N + i];
    return (growth - 1) * 1e4;
  };
  const { metrics, decisionCounts } = run(alphaTable(foresight, EVERY));
  expect(decisionCounts.kept_current).toBeUndefined();
  expect(decisionCounts.optimal).toBeGreaterThan(50);
  expect(metrics.years).toBeGreaterThan(1.5);
  expect(metrics.net.sharpe).toBeGreaterThan(5);
  expect(metrics.net.annual_return).toBeLessThan(metrics.gross.annual_return);
});

it.each([1, 2])(
  'pure noise (seed %i): gross Sharpe within 3 standard errors of 0, net below gross',
  (seed) => {
    const rng = new Rng(seed);
    const { metrics } = run(alphaTable(() => 40 * rng.normal(), 21));
    const t = metrics.gross.sharpe * Math.sqrt(metrics.years);
    expect(Math.abs(t)).toBeLessThan(3);
    expect(metrics.net.sharpe).toBeLessThan(metrics.gross.sharpe);
    expect(metrics.turnover_per_rebalance).toBeGreaterThan(0.01);
  },
);
