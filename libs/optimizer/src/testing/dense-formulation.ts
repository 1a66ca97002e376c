/**
 * Test support: SPEC §11 written literally, as the independent check of the
 * factor-form QP: variables w, buy, sell (and p, q in long_short) exactly as
 * the SPEC names them, the explicit dense Sigma = X F X' + diag(s^2) in the
 * Hessian, industry and style constraints as rows on X'(w - b). Only for
 * small N (the Hessian has N^2 / 2 entries). Also the SPEC constraints
 * checked directly on a weight vector.
 */
import type { ConstraintSet, QpForm } from '../qp-form';
import type { OptimizerOptions, PortfolioProblem } from '../optimizer.types';

export function denseSigma(problem: PortfolioProblem): number[][] {
  const { length: N, factors: K, exposures: X, factorCovariance: F, specificVariance: s2 } = problem.risk;
  const XF = Array.from({ length: N }, (_, i) =>
    Array.from({ length: K }, (_, b) => {
      let s = 0;
      for (let a = 0; a < K; a++) s += X[i * K + a] * F[a * K + b];
      return s;
    }),
  );
  return Array.from({ length: N }, (_, i) =>
    Array.from({ length: N }, (_, j) => {
      let s = i === j ? s2[i] : 0;
      for (let b = 0; b < K; b++) s += XF[i][b] * X[j * K + b];
      return s;
    }),
  );
}

/** The SPEC problem as a QpForm with a dense Hessian; w is the first block. */
export function denseSpecForm(problem: PortfolioProblem, o: OptimizerOptions, set: ConstraintSet): QpForm {
  const { length: N, factors: K, industryFactors: G, exposures: X } = problem.risk;
  const longShort = o.mode === 'long_short';
  const b = longShort ? new Array<number>(N).fill(0) : Array.from(problem.benchmark!);
  const w0 = problem.currentWeights;
  const sigma = denseSigma(problem);
  const scale = o.lambda * problem.horizonDays;
  const W = 0;
  const BUY = N;
  const SELL = 2 * N;
  const P_ = 3 * N;
  const Q_ = 4 * N;
  const n = longShort ? 5 * N : 3 * N;

  // Rows as lists of (column, value) with bounds.
  const rows: { entries: [number, number][]; lo: number; hi: number }[] = [];
  for (let i = 0; i < N; i++)
    rows.push({
      entries: [
        [W + i, 1],
        [BUY + i, -1],
        [SELL + i, 1],
      ],
      lo: w0[i],
      hi: w0[i],
    });
  if (longShort)
    for (let i = 0; i < N; i++)
      rows.push({
        entries: [
          [W + i, 1],
          [P_ + i, -1],
          [Q_ + i, 1],
        ],
        lo: 0,
        hi: 0,
      });
  rows.push({
    entries: Array.from({ length: N }, (_, i) => [W + i, 1] as [number, number]),
    lo: longShort ? 0 : 1,
    hi: longShort ? 0 : 1,
  });
  for (let k = 0; k < K; k++) {
    const xb = b.reduce((s, bi, i) => s + X[i * K + k] * bi, 0);
    const entries: [number, number][] = [];
    for (let i = 0; i < N; i++) if (X[i * K + k] !== 0) entries.push([W + i, X[i * K + k]]);
    let bound = Infinity;
    if (k < G) bound = longShort && set.industryNeutral ? 0 : o.industryBound;
    else if (set.style) bound = o.styleBound;
    if (bound !== Infinity) rows.push({ entries, lo: xb - bound, hi: xb + bound });
  }
  if (longShort) {
    const entries: [number, number][] = [];
    for (let i = 0; i < N; i++) entries.push([P_ + i, 1], [Q_ + i, 1]);
    rows.push({ entries, lo: -Infinity, hi: o.gross });
  }
  if (set.turnover && !problem.firstRebalance && o.maxTurnover !== null) {
    const entries: [number, number][] = [];
    for (let i = 0; i < N; i++) entries.push([BUY + i, 1], [SELL + i, 1]);
    rows.push({ entries, lo: -Infinity, hi: 2 * o.maxTurnover });
  }
  const m = rows.length;
  const columns: [number, number][][] = Array.from({ length: n }, () => []);
  rows.forEach((row, r) => row.entries.forEach(([j, v]) => columns[j].push([r, v])));
  const colStart = new Int32Array(n + 1);
  const rowIndex: number[] = [];
  const value: number[] = [];
  columns.forEach((col, j) => {
    col.sort((x, y) => x[0] - y[0]);
    for (const [r, v] of col) {
      rowIndex.push(r);
      value.push(v);
    }
    colStart[j + 1] = rowIndex.length;
  });

  // Upper triangle of lambda H Sigma on the w block.
  const pStart = new Int32Array(n + 1);
  const pRow: number[] = [];
  const pValue: number[] = [];
  for (let j = 0; j < n; j++) {
    if (j < N) {
      for (let i = 0; i <= j; i++) {
        pRow.push(i);
        pValue.push(scale * sigma[i][j]);
      }
    }
    pStart[j + 1] = pRow.length;
  }
  const c = new Float64Array(n);
  let constant = 0;
  for (let i = 0; i < N; i++) {
    const a = problem.hasAlpha !== null && problem.hasAlpha[i] === 0 ? 0 : problem.alphaBps[i] * 1e-4;
    let sb = 0;
    for (let j = 0; j < N; j++) sb += sigma[i][j] * b[j];
    c[W + i] = -a - scale * sb;
    constant += 0.5 * scale * b[i] * sb;
    c[BUY + i] = problem.costs.buy;
    c[SELL + i] = problem.costs.sell;
  }
  const varLower = new Float64Array(n);
  const varUpper = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < N; i++) {
    let lo = longShort ? -o.maxWeight : 0;
    let hi = longShort ? o.maxWeight : b[i] + o.activeMax;
    if (problem.hasBar[i] === 0) lo = hi = w0[i];
    else if (problem.hasAlpha !== null && problem.hasAlpha[i] === 0) {
      lo = Math.max(lo, Math.min(0, w0[i]));
      hi = Math.min(hi, Math.max(0, w0[i]));
    }
    varLower[W + i] = lo;
    varUpper[W + i] = hi;
  }
  return {
    variables: n,
    constraints: m,
    P: {
      rows: n,
      cols: n,
      colStart: pStart,
      rowIndex: Int32Array.from(pRow),
      value: Float64Array.from(pValue),
    },
    c,
    A: { rows: m, cols: n, colStart, rowIndex: Int32Array.from(rowIndex), value: Float64Array.from(value) },
    rowLower: Float64Array.from(rows, (r) => r.lo),
    rowUpper: Float64Array.from(rows, (r) => r.hi),
    varLower,
    varUpper,
    objectiveConstant: constant,
    layout: {
      names: N,
      factors: K,
      industryFactors: G,
      w: W,
      t: -1,
      g: -1,
      y: -1,
      tradeRows: 0,
      grossRows: -1,
      sumRow: -1,
      grossRow: -1,
      turnoverRow: -1,
    },
  };
}

/** SPEC objective with the dense Sigma: a'w - (lambda/2) H (w-b)'Sigma(w-b) - costs. */
export function denseObjective(problem: PortfolioProblem, o: OptimizerOptions, w: Float64Array): number {
  const N = w.length;
  const sigma = denseSigma(problem);
  const b = o.mode === 'long_only' ? problem.benchmark! : new Float64Array(N);
  let value = 0;
  for (let i = 0; i < N; i++) {
    if (problem.hasAlpha === null || problem.hasAlpha[i] === 1) value += problem.alphaBps[i] * 1e-4 * w[i];
    const d = w[i] - problem.currentWeights[i];
    value -= d > 0 ? problem.costs.buy * d : -problem.costs.sell * d;
    for (let j = 0; j < N; j++)
      value -= 0.5 * o.lambda * problem.horizonDays * (w[i] - b[i]) * sigma[i][j] * (w[j] - b[j]);
  }
  return value;
}

/** Largest violation of the SPEC constraints by w (0 when feasible). */
export function specViolation(
  problem: PortfolioProblem,
  o: OptimizerOptions,
  w: Float64Array,
  set: ConstraintSet,
): number {
  const { length: N, factors: K, industryFactors: G, exposures: X } = problem.risk;
  const longShort = o.mode === 'long_short';
  const b = longShort ? new Float64Array(N) : problem.benchmark!;
  let worst = 0;
  const over = (v: number): void => {
    if (v > worst) worst = v;
  };
  let sum = 0;
  let gross = 0;
  let traded = 0;
  for (let i = 0; i < N; i++) {
    sum += w[i];
    gross += Math.abs(w[i]);
    traded += Math.abs(w[i] - problem.currentWeights[i]);
    if (problem.hasBar[i] === 0) {
      over(Math.abs(w[i] - problem.currentWeights[i]));
      continue;
    }
    if (longShort) over(Math.abs(w[i]) - o.maxWeight);
    else {
      over(-w[i]);
      over(w[i] - b[i] - o.activeMax);
    }
    if (problem.hasAlpha !== null && problem.hasAlpha[i] === 0) {
      over(Math.abs(w[i]) - Math.abs(problem.currentWeights[i]));
      over(w[i] * problem.currentWeights[i] < 0 ? Math.abs(w[i]) : 0);
    }
  }
  over(Math.abs(sum - (longShort ? 0 : 1)));
  if (longShort) over(gross - o.gross);
  if (set.turnover && !problem.firstRebalance && o.maxTurnover !== null) over(traded / 2 - o.maxTurnover);
  for (let k = 0; k < K; k++) {
    let y = 0;
    for (let i = 0; i < N; i++) y += X[i * K + k] * (w[i] - b[i]);
    if (k < G) over(Math.abs(y) - (longShort && set.industryNeutral ? 0 : o.industryBound));
    else if (set.style) over(Math.abs(y) - o.styleBound);
  }
  return worst;
}
