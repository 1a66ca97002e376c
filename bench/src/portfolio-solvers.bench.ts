/**
 * `npm run bench -- portfolio-solvers [names...] [--dates D] [--solvers a,b]`:
 * the measurement behind the optimizer's solver choice (libs/optimizer/README.md).
 * Every candidate solves the same chain of synthetic long-short rebalances
 * (bench/src/portfolio-problems.ts, 36 industries + 4 styles) in factor form;
 * printed: median and p95 wall time per solve, the worst primal residual,
 * stationarity and complementarity of the returned (x, duals), measured here
 * by `kktResiduals`, not taken from the solver, and the objective gap to the
 * best solver on the same date.
 */
import {
  DEFAULT_OPTIMIZER_OPTIONS,
  buildQpForm,
  createClarabelSolver,
  createHighsSolver,
  createOsqpSolver,
  kktResiduals,
  osqpAvailable,
} from '@alphafeed/optimizer';
import type { QpSolver } from '@alphafeed/optimizer';
import { loadavg } from 'node:os';
import { syntheticBook } from './portfolio-problems';

export async function run(args: string[]): Promise<void> {
  const flag = (name: string, fallback: string): string => {
    const at = args.indexOf(name);
    return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
  };
  const sizes = args
    .filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')))
    .map(Number);
  const names = sizes.length > 0 ? sizes : [500, 3000];
  const dates = Number(flag('--dates', '21'));
  const wanted = flag('--solvers', 'clarabel,highs-qpasm,highs-hipo,osqp').split(',');
  const solvers: QpSolver[] = [];
  for (const name of wanted) {
    if (name === 'clarabel') solvers.push(createClarabelSolver());
    else if (name === 'highs-qpasm') solvers.push(await createHighsSolver('qpasm'));
    else if (name === 'highs-hipo') solvers.push(await createHighsSolver('hipo'));
    else if (name === 'highs-ipm') solvers.push(await createHighsSolver('ipm'));
    else if (name === 'osqp' || name.startsWith('osqp-eps')) {
      const eps = name === 'osqp' ? undefined : Number(name.slice('osqp-eps'.length));
      if (osqpAvailable()) solvers.push(createOsqpSolver({ eps }));
      else print('osqp: not built (cargo build --release --features osqp in libs/optimizer/native); skipped');
    } else
      throw new RangeError(
        `unknown solver ${name}; known: clarabel, highs-qpasm, highs-hipo, highs-ipm, osqp, osqp-eps<e>`,
      );
  }
  const tolerance = 1e-8;
  print(
    `tolerance ${tolerance}; ${dates} rebalance dates per size (the first builds from cash, no turnover limit); ` +
      `load ${loadavg()
        .map((v) => v.toFixed(1))
        .join(' ')}`,
  );
  for (const N of names) {
    for (const solver of solvers) {
      const book = syntheticBook({ names: N, industries: 36, mode: 'long_short', seed: 42 });
      const times: number[] = [];
      const cpuTimes: number[] = [];
      let primal = 0;
      let stationarity = 0;
      let complementarity = 0;
      let dualSign = 0;
      let failures = 0;
      let iterations = 0;
      let weights: Float64Array | null = null;
      let objectiveSum = 0;
      for (let d = 0; d < dates; d++) {
        const problem = book.next(weights);
        const form = buildQpForm(problem, DEFAULT_OPTIMIZER_OPTIONS, {
          turnover: true,
          style: true,
          industryNeutral: true,
        });
        const started = performance.now();
        const cpu = process.cpuUsage();
        const solution = solver.solve(form, tolerance);
        times.push(performance.now() - started);
        const used = process.cpuUsage(cpu);
        cpuTimes.push((used.user + used.system) / 1000);
        if (solution.outcome !== 'solved') failures++;
        const kkt = kktResiduals(form, solution.x, solution.rowDual, solution.colDual);
        primal = Math.max(primal, kkt.primal);
        stationarity = Math.max(stationarity, kkt.stationarity);
        complementarity = Math.max(complementarity, kkt.complementarity);
        dualSign = Math.max(dualSign, kkt.dualSign);
        iterations += solution.iterations;
        objectiveSum += kkt.objective + form.objectiveConstant;
        weights = solution.x.slice(form.layout.w, form.layout.w + N);
        if (solution.outcome !== 'solved' && failures === 1)
          print(`  ${solver.name} N=${N} date ${d}: ${solution.status}`);
      }
      times.sort((a, b) => a - b);
      cpuTimes.sort((a, b) => a - b);
      print(
        `N=${N} ${solver.name.padEnd(12)} median ${fmt(quantile(times, 0.5))} ms  p95 ${fmt(quantile(times, 0.95))} ms  (cpu median ${fmt(quantile(cpuTimes, 0.5))} ms)  ` +
          `iters/solve ${(iterations / dates).toFixed(0)}  not solved ${failures}  max primal ${primal.toExponential(1)}  ` +
          `stationarity ${stationarity.toExponential(1)}  complementarity ${complementarity.toExponential(1)}  dual sign ${dualSign.toExponential(1)}  ` +
          `mean objective ${(objectiveSum / dates).toExponential(9)}`,
      );
    }
  }
}

function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

function fmt(ms: number): string {
  return ms.toFixed(1);
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
