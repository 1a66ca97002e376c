/**
 * `npm run bench -- portfolio [names...] [--dates D] [--years Y]`: the
 * portfolio stage's timings (issue 8; SPEC §10-11).
 *
 * 1. QP solve per rebalance date (`optimizeWeights`, Clarabel, factor form):
 *    long_short and long_only books of N names (default 500 and 3,000) on
 *    36 industries + 4 styles (K = 40), exposures, F and s^2 generated
 *    directly (bench/src/portfolio-problems.ts), D >= 20 weekly rebalances
 *    with a drifted w0 so that the turnover limit binds. Median and p95.
 * 2. Risk model on a realistic panel: `generateSyntheticBars` (US, 3,000
 *    instruments, Y years) -> raw features (beta_252, size, mom_12_1,
 *    vol_60) -> `RiskModel.closeDate` per date; the update time of one new
 *    date past the 252-date window (median, p95), and the QP solve on that
 *    model's X, F, s^2 every 5th date (K = 24 industries + 4 styles).
 *
 * Targets (issue 8, 2-core box): QP 3,000 names median < 250 ms; risk
 * update of one date of 3,000 names < 20 ms. Wall and CPU time are printed:
 * the dev box is shared. The pieces are exported for the backtest bench.
 */
import { loadavg } from 'node:os';
import { Rng } from '@alphafeed/core';
import { generateSyntheticBars } from '@alphafeed/data';
import { RAW_COLUMN_NAMES, computeRawFeatures } from '@alphafeed/features';
import { optimizeWeights } from '@alphafeed/optimizer';
import type { OptimizeResult, PortfolioMode, PortfolioProblem } from '@alphafeed/optimizer';
import { RiskModel } from '@alphafeed/risk';
import type { RiskDateInput } from '@alphafeed/risk';
import { syntheticBook } from './portfolio-problems';

export interface Timing {
  readonly wallMs: number[];
  readonly cpuMs: number[];
}

export interface QpBenchResult extends Timing {
  readonly names: number;
  readonly factors: number;
  readonly statuses: Record<string, number>;
  readonly maxPrimalResidual: number;
  readonly maxRelativeGap: number;
  readonly meanIterations: number;
}

/** D rebalances of one synthetic book through `optimizeWeights`. */
export function benchQpSolves(names: number, dates: number, mode: PortfolioMode): QpBenchResult {
  const book = syntheticBook({ names, industries: 36, mode, seed: 42 });
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const statuses: Record<string, number> = {};
  let weights: Float64Array | null = null;
  let maxPrimalResidual = 0;
  let maxRelativeGap = 0;
  let iterations = 0;
  for (let d = 0; d < dates; d++) {
    const problem = book.next(weights);
    const { result, wall, cpu } = timed(() => optimizeWeights(problem, { mode }));
    wallMs.push(wall);
    cpuMs.push(cpu);
    record(statuses, result);
    maxPrimalResidual = Math.max(maxPrimalResidual, result.solver.primalResidual);
    maxRelativeGap = Math.max(maxRelativeGap, result.solver.relativeGap);
    iterations += result.solver.iterations;
    weights = result.weights;
  }
  return {
    names,
    factors: book.risk.factors,
    wallMs,
    cpuMs,
    statuses,
    maxPrimalResidual,
    maxRelativeGap,
    meanIterations: iterations / dates,
  };
}

export interface RiskBenchResult {
  readonly instruments: number;
  readonly dates: number;
  readonly factors: number;
  /** closeDate times of the dates past the first 252. */
  readonly update: Timing;
  readonly rowsPerDate: number;
  /** QP solves on the panel's risk model every 5th date past 260. */
  readonly qp: Timing & { names: number; statuses: Record<string, number> };
}

/**
 * The risk model over a synthetic US panel, date by date as the stream runs
 * it, and long-short solves on its output. Bars to raw features take most of
 * the set-up time (not measured).
 */
export function benchRiskModel(
  instruments: number,
  years: number,
  log: (line: string) => void = () => undefined,
): RiskBenchResult {
  const bars = generateSyntheticBars({ region: 'us', instruments, years, seed: 42 });
  log(
    `panel: ${bars.instruments.length} instruments x ${bars.calendar.length} dates, ${bars.industries.length} industries; raw features...`,
  );
  const raw = computeRawFeatures(bars);
  const column = (name: string): Float64Array => raw.columns[RAW_COLUMN_NAMES.indexOf(name)];
  const beta = column('beta_252');
  const size = column('size');
  const momentum = column('mom_12_1');
  const vol60 = column('vol_60');
  const model = new RiskModel({ industries: bars.industries });
  const lastClose = new Float64Array(bars.instruments.length).fill(NaN);
  const update: Timing = { wallMs: [], cpuMs: [] };
  const qp = {
    wallMs: [] as number[],
    cpuMs: [] as number[],
    names: 0,
    statuses: {} as Record<string, number>,
  };
  const rng = new Rng(42);
  const alphaOf = Float64Array.from({ length: bars.instruments.length }, () => 40 * rng.normal());
  let held = new Map<number, number>();
  let first = true;
  let rows = 0;
  let measured = 0;
  let start = 0;
  for (let d = 0; d < bars.calendar.length; d++) {
    let end = start;
    while (end < bars.length && bars.date[end] === d) end++;
    const n = end - start;
    const dailyReturn = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      const i = bars.instrument[start + b];
      dailyReturn[b] = bars.close[start + b] / lastClose[i] - 1;
      lastClose[i] = bars.close[start + b];
    }
    const input: RiskDateInput = {
      length: n,
      instrument: bars.instrument.subarray(start, end),
      industry: bars.industry.subarray(start, end),
      member: null,
      carried: null,
      beta252: beta.subarray(start, end),
      size: size.subarray(start, end),
      momentum: momentum.subarray(start, end),
      vol60: vol60.subarray(start, end),
      dailyReturn,
    };
    const { result: state, wall, cpu } = timed(() => model.closeDate(d, input));
    if (d >= 252) {
      update.wallMs.push(wall);
      update.cpuMs.push(cpu);
      rows += state.length;
      measured++;
    }
    if (d >= 260 && (d - 260) % 5 === 0) {
      // Drift the held book to today, then rebalance on today's model.
      const names = Int32Array.from(input.instrument);
      const risk = model.factorRisk(names);
      const w0 = new Float64Array(n);
      let gross = 0;
      // A first bar has no return (NaN): it drifts by 0.
      for (let b = 0; b < n; b++) gross += (held.get(names[b]) ?? 0) * (dailyReturn[b] || 0);
      for (let b = 0; b < n; b++)
        w0[b] = ((held.get(names[b]) ?? 0) * (1 + (dailyReturn[b] || 0))) / (1 + gross);
      for (let i = 0; i < alphaOf.length; i++) alphaOf[i] = 0.8 * alphaOf[i] + 24 * rng.normal();
      const problem: PortfolioProblem = {
        alphaBps: Float64Array.from(names, (i) => alphaOf[i]),
        hasAlpha: null,
        horizonDays: 21,
        currentWeights: w0,
        hasBar: new Uint8Array(n).fill(1),
        benchmark: null,
        risk,
        costs: { buy: 5e-4, sell: 5e-4 },
        firstRebalance: first,
      };
      const solved = timed(() => optimizeWeights(problem, {}));
      qp.wallMs.push(solved.wall);
      qp.cpuMs.push(solved.cpu);
      qp.names = n;
      record(qp.statuses, solved.result);
      held = new Map(Array.from(names, (i, b) => [i, solved.result.weights[b]]));
      first = false;
    }
    start = end;
  }
  return {
    instruments: bars.instruments.length,
    dates: bars.calendar.length,
    factors: model.factors,
    update,
    rowsPerDate: rows / Math.max(1, measured),
    qp,
  };
}

export async function run(args: string[]): Promise<void> {
  const flag = (name: string, fallback: string): string => {
    const at = args.indexOf(name);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
  };
  const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  const sizes = positional.length > 0 ? positional.map(Number) : [500, 3000];
  const dates = Number(flag('--dates', '21'));
  const years = Number(flag('--years', '1.5'));
  if (!(
    sizes.every((n) => Number.isInteger(n) && n > 10) &&
    Number.isInteger(dates) &&
    dates >= 2 &&
    years > 1
  )) {
    throw new RangeError(
      `usage: portfolio [names > 10 ...] [--dates D >= 2] [--years Y > 1]; got ${args.join(' ')}`,
    );
  }
  print(`load: ${loadAverage()}`);
  print(`QP solve per rebalance (optimizeWeights, Clarabel, factor form, ${dates} dates, first from cash):`);
  for (const mode of ['long_short', 'long_only'] as const) {
    for (const names of sizes) {
      const r = benchQpSolves(names, dates, mode);
      print(
        `  ${mode.padEnd(10)} N=${String(names).padStart(5)} K=${r.factors}: median ${fmt(median(r.wallMs))} ms, p95 ${fmt(quantile(r.wallMs, 0.95))} ms wall ` +
          `(cpu median ${fmt(median(r.cpuMs))} ms); ${statusLine(r.statuses)}; ${r.meanIterations.toFixed(1)} iterations/solve; ` +
          `max primal residual ${r.maxPrimalResidual.toExponential(1)}, max relative gap ${r.maxRelativeGap.toExponential(1)}`,
      );
    }
  }
  const instruments = Math.max(...sizes);
  print(`risk model on a synthetic US panel (${instruments} instruments, ${years} years):`);
  const risk = benchRiskModel(instruments, years, (line) => print(`  ${line}`));
  print(
    `  update of one date (${risk.rowsPerDate.toFixed(0)} rows, K=${risk.factors}, ${risk.update.wallMs.length} dates past the window): ` +
      `median ${fmt(median(risk.update.wallMs))} ms, p95 ${fmt(quantile(risk.update.wallMs, 0.95))} ms wall (cpu median ${fmt(median(risk.update.cpuMs))} ms)`,
  );
  print(
    `  long_short QP on the panel's X, F, s^2 (N=${risk.qp.names}, ${risk.qp.wallMs.length} rebalances): median ${fmt(median(risk.qp.wallMs))} ms, ` +
      `p95 ${fmt(quantile(risk.qp.wallMs, 0.95))} ms wall (cpu median ${fmt(median(risk.qp.cpuMs))} ms); ${statusLine(risk.qp.statuses)}`,
  );
  print(`load: ${loadAverage()}`);
}

function record(statuses: Record<string, number>, result: OptimizeResult): void {
  const key =
    result.relaxations.length > 0 ? `${result.status}(${result.relaxations.join('+')})` : result.status;
  statuses[key] = (statuses[key] ?? 0) + 1;
}

function timed<T>(work: () => T): { result: T; wall: number; cpu: number } {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  const result = work();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { result, wall, cpu: (cpu.user + cpu.system) / 1000 };
}

function statusLine(statuses: Record<string, number>): string {
  return Object.entries(statuses)
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
}

export function median(values: number[]): number {
  return quantile(values, 0.5);
}

/** Linear-interpolated quantile (numpy's default) of unsorted values. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function loadAverage(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
}

function fmt(ms: number): string {
  return ms.toFixed(1);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
