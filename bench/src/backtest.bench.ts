/**
 * `npm run bench -- backtest [instruments] [years] [--accounting-only]`: the
 * whole backtest of issue 8 on a synthetic US panel (default 3,000
 * instruments x 15 years), weekly rebalances, through `@alphafeed/portfolio`:
 * the risk model on every date, Clarabel on every rebalance date (SPEC §11
 * long_short, turnover limit), the SPEC §12 accounting, given point-in-time-
 * like alphas (seeded: 0.005 x the coming 21-day return plus noise, in bps,
 * on every feature-frame row from position 756 on, the first date a real
 * run would have alphas: 252 dates of feature warm-up + 504 of training),
 * then the summary, the signal metrics and the writing of the outputs.
 *
 * The feature frame is computed with one model feature (the risk model reads
 * only the raw styles it carries); the alphas are given, as the target says.
 * Target (issue 8): < 10 min wall, peak RSS < 4 GB. Prints wall and CPU time
 * and `uptime` before and after: the dev box is shared.
 *
 * `--accounting-only`: the SPEC §12 accounting alone (`runBacktest` with a
 * top-quintile rule), the figure of the accounting without risk and solves.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  denseByDate,
  marketPanelFromBars,
  runBacktest,
  signalMetrics,
  summarizeBacktest,
  tradingRulesFromConfig,
  writeBacktestOutputs,
  type AlphaRows,
} from '@alphafeed/backtest';
import { parseConfig } from '@alphafeed/config';
import { Rng, type BarPanel, type FeatureFrame } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { computeFeatureFrame } from '@alphafeed/features';
import {
  PanelStepInputs,
  barReturns,
  portfolioEngineOptionsFromConfig,
  runPortfolioBacktest,
  type AlphaColumns,
} from '@alphafeed/portfolio';

const FIRST_ALPHA = 756;
const HORIZON = 21;

export async function run(args: string[]): Promise<void> {
  const positional = args.filter((a) => !a.startsWith('--'));
  const instruments = positional[0] === undefined ? 3000 : Number(positional[0]);
  const years = positional[1] === undefined ? 15 : Number(positional[1]);
  if (!(Number.isInteger(instruments) && instruments > 0 && years > 3))
    throw new RangeError(
      `usage: backtest [instruments > 0] [years > 3] [--accounting-only]; got ${args.join(' ')}`,
    );
  print(`uptime: ${uptime()}`);
  if (args.includes('--accounting-only')) return accountingOnly(instruments, years);

  let t0 = performance.now();
  const config = parseConfig({ region: 'us' }, 'bench');
  const bars = generateSyntheticBars({ region: 'us', instruments, years, seed: 42 });
  const frame = computeFeatureFrame(bars, { features: ['mom_12_1'] });
  print(
    `panel: ${bars.instruments.length} instruments x ${bars.calendar.length} dates (${bars.length} bars), ` +
      `feature frame ${frame.length} rows: ${seconds(t0)} s`,
  );
  const alphas = pitLikeAlphas(bars, frame);
  print(
    `alphas: ${alphas.length} rows from ${bars.calendar[FIRST_ALPHA]} (0.005 x the coming ${HORIZON}-day return + noise, bps)`,
  );

  t0 = performance.now();
  const cpu = process.cpuUsage();
  const source = new PanelStepInputs(bars, frame, alphas);
  const { result, decisions, decisionCounts } = runPortfolioBacktest(
    source,
    portfolioEngineOptionsFromConfig(config, source),
    {
      onProgress: (done, total) => {
        if (done % 500 === 0 || done === total)
          print(`  ${done}/${total} dates, ${seconds(t0)} s, load ${uptime().split('load average: ')[1]}`);
      },
    },
  );
  const wallS = seconds(t0);
  const used = process.cpuUsage(cpu);
  const solveMs = decisions.map((d) => d.solveMs).sort((a, b) => a - b);
  print(
    `backtest (risk model every date, ${decisions.length} optimizer decisions ${JSON.stringify(decisionCounts)}): ` +
      `${wallS} s wall, ${((used.user + used.system) / 1e6).toFixed(1)} s cpu; ` +
      `solve median ${solveMs[Math.floor(solveMs.length / 2)].toFixed(0)} ms, p95 ${solveMs[Math.floor(solveMs.length * 0.95)].toFixed(0)} ms`,
  );

  t0 = performance.now();
  const metrics = summarizeBacktest(result);
  const market = marketPanelFromBars(bars);
  const rows: AlphaRows = {
    length: alphas.length,
    date: alphas.date,
    instrument: alphas.instrument,
    alpha: alphas.alphaCombined,
  };
  const label = forwardLabel(bars, HORIZON);
  const signal = signalMetrics(rows, market, label, { horizon: HORIZON, start: result.start });
  print(`summary + signal metrics: ${seconds(t0)} s`);
  await writeOutputs(result, metrics, signal);
  report(metrics.net.sharpe, metrics.gross.sharpe, signal.summary.ic_mean);
}

/** Alphas on every real frame row from FIRST_ALPHA: 0.005 x the next 21-day return (bps) + N(0, 40 bps). */
function pitLikeAlphas(bars: BarPanel, frame: FeatureFrame): AlphaColumns {
  const label = forwardLabel(bars, HORIZON);
  const N = bars.instruments.length;
  const rng = new Rng(42);
  let n = 0;
  for (let r = 0; r < frame.length; r++) if (frame.date[r] >= FIRST_ALPHA && frame.carried[r] === 0) n++;
  const date = new Int32Array(n);
  const instrument = new Int32Array(n);
  const alpha = new Float64Array(n);
  n = 0;
  for (let r = 0; r < frame.length; r++) {
    if (frame.date[r] < FIRST_ALPHA || frame.carried[r] === 1) continue;
    const y = label[frame.date[r] * N + frame.instrument[r]];
    date[n] = frame.date[r];
    instrument[n] = frame.instrument[r];
    alpha[n++] = 0.005 * (y === y ? y : 0) * 1e4 + 40 * rng.normal();
  }
  return {
    source: 'bench',
    length: n,
    date,
    instrument,
    alphaCombined: alpha,
    horizonDays: new Float64Array(n).fill(HORIZON),
    model: new Int32Array(n),
    modelIds: ['bench'],
  };
}

/** Sum of the next `h` daily returns per (date, instrument), dense; NaN past the end. */
function forwardLabel(bars: BarPanel, h: number): Float64Array {
  const D = bars.calendar.length;
  const N = bars.instruments.length;
  const r = barReturns(bars);
  const dense = denseByDate(bars.date, bars.instrument, r, D, N);
  const out = new Float64Array(D * N).fill(NaN);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let t = D - 1; t >= 0; t--) {
      // s = sum of returns t+1 .. t+h
      if (t + 1 < D) s += dense[(t + 1) * N + i] || 0;
      if (t + 1 + h < D) s -= dense[(t + 1 + h) * N + i] || 0;
      if (t + h < D) out[t * N + i] = s;
    }
  }
  return out;
}

async function writeOutputs(
  result: Parameters<typeof writeBacktestOutputs>[0]['result'],
  metrics: Parameters<typeof writeBacktestOutputs>[0]['metrics'],
  signal: Parameters<typeof writeBacktestOutputs>[0]['signal'],
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-bench-backtest-'));
  try {
    const t0 = performance.now();
    await writeBacktestOutputs(
      { result, metrics, signal, identity: { region: 'us', config_hash: '0'.repeat(64), alphas: 'bench' } },
      dir,
    );
    print(`write outputs: ${seconds(t0)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function accountingOnly(instruments: number, years: number): void {
  let t0 = performance.now();
  const bars = generateSyntheticBars({ region: 'cn', instruments, years, seed: 42 });
  const market = marketPanelFromBars(bars);
  const D = market.calendar.length;
  const N = market.instruments.length;
  print(`panel: ${N} instruments x ${D} dates, built in ${seconds(t0)} s`);
  const rng = new Rng(42);
  const alpha = new Float64Array(D * N).fill(NaN);
  for (let k = 0; k < alpha.length; k++) if (market.bar[k] === 1) alpha[k] = rng.normal() * 50;
  const order = new Int32Array(N);
  const decide = (t: number): Float64Array => {
    let n = 0;
    for (let i = 0; i < N; i++) if (Number.isFinite(alpha[t * N + i])) order[n++] = i;
    const names = order.subarray(0, n).sort((a, b) => alpha[t * N + a] - alpha[t * N + b]);
    const k = Math.max(1, Math.floor(n / 5));
    const w = new Float64Array(N);
    for (let j = 0; j < k; j++) w[names[n - 1 - j]] = 1 / k;
    return w;
  };
  const rules = tradingRulesFromConfig(parseConfig({ region: 'cn' }, 'bench').portfolio);
  t0 = performance.now();
  const cpu = process.cpuUsage();
  const result = runBacktest(market, { mode: 'long_only', rebalanceEvery: 5, start: 252, rules }, { decide });
  const used = process.cpuUsage(cpu);
  print(
    `accounting only: ${result.daily.length} days, ${result.rebalances.length} rebalances, ${result.trades.length} trade rows: ` +
      `${seconds(t0)} s wall, ${((used.user + used.system) / 1e6).toFixed(2)} s cpu (incl. the quintile rule)`,
  );
  const metrics = summarizeBacktest(result);
  report(metrics.net.sharpe, metrics.gross.sharpe, NaN);
}

function report(net: number, gross: number, ic: number): void {
  const rssGb = process.resourceUsage().maxRSS / 1024 / 1024;
  print(`peak RSS: ${rssGb.toFixed(2)} GB (target < 4 GB) ${rssGb < 4 ? 'OK' : 'MISSED'}`);
  print(`net Sharpe ${net.toFixed(2)} (gross ${gross.toFixed(2)}); mean IC ${ic.toFixed(4)}`);
  print(`uptime: ${uptime()}`);
}

function uptime(): string {
  try {
    return execFileSync('uptime', { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function seconds(t0: number): string {
  return ((performance.now() - t0) / 1000).toFixed(2);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
