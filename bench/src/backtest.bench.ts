/**
 * `npm run bench -- backtest [instruments] [years]`: the SPEC §12 accounting
 * of `@alphafeed/backtest` on a synthetic panel (default 3,000 instruments x
 * 15 years, weekly rebalances), with the decision rule reduced to a top /
 * bottom quintile of a seeded noise alpha so that the figure is the
 * accounting's own (the optimizer's solve is benchmarked on its own), then
 * the summary, the signal metrics and the writing of the outputs.
 *
 * Target (issue 8, with the optimizer's time on top): the whole backtest of
 * 3,000 names x 15 years < 10 min, peak RSS < 4 GB.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@alphafeed/config';
import { Rng } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import {
  marketPanelFromBars,
  runBacktest,
  signalMetrics,
  summarizeBacktest,
  tradingRulesFromConfig,
  writeBacktestOutputs,
  type AlphaRows,
} from '@alphafeed/backtest';

export async function run(args: string[]): Promise<void> {
  const instruments = args[0] === undefined ? 3000 : Number(args[0]);
  const years = args[1] === undefined ? 15 : Number(args[1]);
  if (!(Number.isInteger(instruments) && instruments > 0 && years > 0))
    throw new RangeError(`usage: backtest [instruments > 0] [years > 0]; got ${args.join(' ')}`);

  let t0 = performance.now();
  const bars = generateSyntheticBars({ region: 'cn', instruments, years, seed: 42 });
  const market = marketPanelFromBars(bars);
  const D = market.calendar.length;
  const N = market.instruments.length;
  print(`panel: ${N} instruments x ${D} dates (${bars.length} bars), built in ${seconds(t0)} s`);

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
  const engineS = seconds(t0);
  const cpuS = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
  print(
    `accounting: ${result.daily.length} days, ${result.rebalances.length} rebalances, ${result.trades.length} trade rows: ` +
      `${engineS} s wall, ${cpuS.toFixed(2)} s cpu (incl. the quintile rule)`,
  );

  t0 = performance.now();
  const metrics = summarizeBacktest(result);
  const rows = alphaRows(alpha, D, N);
  const signal = signalMetrics(rows, market, alpha, { horizon: 21, start: 252 });
  print(`summary + signal metrics (${rows.length} alpha rows): ${seconds(t0)} s`);

  const dir = mkdtempSync(join(tmpdir(), 'alphafeed-bench-backtest-'));
  try {
    t0 = performance.now();
    await writeBacktestOutputs(
      {
        result,
        metrics,
        signal,
        identity: { region: 'cn', config_hash: '0'.repeat(64), alphas: 'bench noise' },
      },
      dir,
    );
    print(`write outputs: ${seconds(t0)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rssGb = process.resourceUsage().maxRSS / 1024 / 1024;
  print(`peak RSS: ${rssGb.toFixed(2)} GB (target < 4 GB with the optimizer) ${rssGb < 4 ? 'OK' : 'MISSED'}`);
  print(
    `net Sharpe of the noise rule: ${metrics.net.sharpe.toFixed(2)} (gross ${metrics.gross.sharpe.toFixed(2)})`,
  );
}

function alphaRows(alpha: Float64Array, D: number, N: number): AlphaRows {
  let n = 0;
  for (let k = 0; k < alpha.length; k++) if (Number.isFinite(alpha[k])) n++;
  const date = new Int32Array(n);
  const instrument = new Int32Array(n);
  const values = new Float64Array(n);
  let row = 0;
  for (let t = 0; t < D; t++)
    for (let i = 0; i < N; i++) {
      const a = alpha[t * N + i];
      if (!Number.isFinite(a)) continue;
      date[row] = t;
      instrument[row] = i;
      values[row++] = a;
    }
  return { length: n, date, instrument, alpha: values };
}

function seconds(t0: number): string {
  return ((performance.now() - t0) / 1000).toFixed(2);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
