/**
 * The portfolio stage as one incremental engine: each closed date, in
 * calendar order and once, `step` runs
 *
 *   1. the risk model's update (SPEC §10, `RiskModel.closeDate`);
 *   2. the book's accounting of the date (SPEC §12: returns of the weights
 *      held at the previous close, benchmark, drift, write-offs, the fills of
 *      the previous decision with CN limits and suspensions, costs) —
 *      `BacktestBook`, the same class `runBacktest` loops over;
 *   3. on a rebalance date (every `rebalanceEvery` positions from the first
 *      date with alphas), the optimizer (SPEC §11, `optimizeWeights`) on the
 *      drifted weights, the benchmark, X/F/s² of the date, the decision date's
 *      costs and the alphas' horizon → target weights, filled at the next
 *      step; infeasible → the book is kept, with the reason;
 *   4. the ex-ante vol and factor exposures of the weights held at the close.
 *
 * The batch backtest (`runPortfolioBacktest`) and the live service drive
 * this class with the same per-date inputs, so they decide the same weights
 * by construction. `reset()` drops every state (a restart or a restatement
 * replays earlier dates through `step`). Deterministic: no clock, no
 * randomness; the solver is deterministic for a given input.
 *
 * Cost per date: O(ids) for the dense views of the book, the risk model's
 * O(rows K² + rows window), and on rebalance dates one QP (~100–250 ms at
 * 3,000 names, `npm run bench -- portfolio`).
 */
import { InputError, parseIsoDay } from '@alphafeed/core';
import {
  BacktestBook,
  costRatesOn,
  type BacktestMode,
  type BacktestRecorder,
  type BookDay,
  type TradingRules,
} from '@alphafeed/backtest';
import {
  optimizeWeights,
  resolveOptimizerOptions,
  type OptimizeResult,
  type OptimizerOptions,
  type PortfolioProblem,
  type QpSolver,
} from '@alphafeed/optimizer';
import { RiskModel, exAnteVariance, type FactorRisk, type RiskModelOptions } from '@alphafeed/risk';
import { PortfolioInputError } from './errors';
import type { PortfolioDateInput, PortfolioDecision, PortfolioStep, SparseWeights } from './portfolio.types';

export interface PortfolioEngineOptions {
  readonly mode: BacktestMode;
  /** Rebalance every this many calendar positions from the opening date (SPEC §12, default 5). */
  readonly rebalanceEvery: number;
  /** Costs, stamp duty and price limits (`tradingRulesFromConfig`). */
  readonly rules: TradingRules;
  /** Write-off after this many dates without a bar (the carry-forward limit, default 5). */
  readonly writeOffAfter?: number;
  /** SPEC §11 bounds, lambda, turnover, tolerance; `mode` is taken from `mode`. */
  readonly optimizer?: Partial<Omit<OptimizerOptions, 'mode'>>;
  /** SPEC §10 options other than the industries. */
  readonly risk?: Partial<Omit<RiskModelOptions, 'industries'>>;
  /** Industry names of the whole input (exposure columns; fixed over the run). */
  readonly industries: readonly string[];
  /**
   * Instrument codes by id, the dictionary of the inputs' ids. The caller may
   * append codes between steps (ids only grow); the engine reads it, never writes.
   */
  readonly instruments: readonly string[];
  /** First calendar position the book may open on (default 0): it opens on the first date >= start with alphas. */
  readonly start?: number;
  /** QP solver (default: Clarabel, the optimizer's default). */
  readonly solver?: QpSolver;
  /** Batch logs (daily rows, trades, weights) for a `BacktestResult`; the live service passes none. */
  readonly recorder?: BacktestRecorder | null;
}

export class PortfolioEngine {
  readonly mode: BacktestMode;
  readonly rebalanceEvery: number;
  readonly factorNames: readonly string[];
  private readonly options: PortfolioEngineOptions;
  private readonly optimizerOptions: OptimizerOptions;
  private readonly recorder: BacktestRecorder | null;
  private readonly book: BacktestBook;
  private risk: RiskModel;

  private lastDate = -1;
  private openedAt = -1;
  private decisions = 0;
  // Dense views of the date by id (the book's input), grown with the dictionary.
  private bar = new Uint8Array(0);
  private ret = new Float64Array(0);
  private member = new Uint8Array(0);
  private stamp = new Int32Array(0);
  private stampValue = 0;
  private alphaOf = new Float64Array(0);

  constructor(options: PortfolioEngineOptions) {
    if (!(Number.isInteger(options.rebalanceEvery) && options.rebalanceEvery > 0))
      throw new PortfolioInputError(
        'OPTIONS',
        `rebalanceEvery must be a positive integer, got ${options.rebalanceEvery}; the SPEC default is 5`,
      );
    this.options = options;
    this.mode = options.mode;
    this.rebalanceEvery = options.rebalanceEvery;
    this.optimizerOptions = resolveOptimizerOptions({ ...options.optimizer, mode: options.mode });
    this.recorder = options.recorder ?? null;
    this.book = new BacktestBook({
      mode: options.mode,
      rules: options.rules,
      writeOffAfter: options.writeOffAfter,
      instruments: options.instruments,
      trades: this.recorder?.trades ?? null,
    });
    this.risk = this.newRiskModel();
    this.factorNames = this.risk.factorNames;
  }

  /** Calendar position of the last date stepped, -1 before the first. */
  get lastDateIndex(): number {
    return this.lastDate;
  }

  /** Calendar position the book opened on (its first decision), -1 while in cash without alphas. */
  get openingDate(): number {
    return this.openedAt;
  }

  /** Weights held now, dense by id (a copy). */
  heldWeights(): Float64Array {
    return this.book.weights.slice();
  }

  /** Drops every state: the next `step` may start at any date, as on a fresh engine. */
  reset(): void {
    this.book.reset();
    this.risk = this.newRiskModel();
    this.lastDate = -1;
    this.openedAt = -1;
    this.decisions = 0;
  }

  /** Closes one date (see the file comment). Throws on bad input before changing any state of the book. */
  step(input: PortfolioDateInput): PortfolioStep {
    const d = input.dateIndex;
    if (!Number.isInteger(d) || d < 0 || (this.lastDate >= 0 && d !== this.lastDate + 1))
      throw new PortfolioInputError(
        'DATE',
        `step needs the next calendar position after ${this.lastDate}, got ${d}; feed dates in calendar order, once each (reset() to replay)`,
      );
    const N = this.options.instruments.length;
    this.checkIds(input, N);
    this.grow(N);
    this.book.reserve(N);
    this.scatter(input, N);
    const date = { iso: input.day, bar: this.bar, ret: this.ret, member: this.member };
    const recorder = this.recorder;

    // 1. The risk model takes d (it validates the cross-section and rejects a bad date untouched).
    this.risk.closeDate(d, input);
    this.lastDate = d;
    // 2. The book's accounting of d (fills of the decision of d-1); independent of the risk model.
    let accounting: BookDay | null = null;
    if (this.openedAt >= 0) {
      accounting = this.book.close(d, date);
      if (recorder !== null && d <= recorder.end) recorder.day(d, accounting);
    }
    // 3. Open the book on the first date with alphas; decide on rebalance dates.
    const hasAlphas = input.alphas !== null && input.alphas.length > 0;
    if (this.openedAt < 0 && hasAlphas && d >= (this.options.start ?? 0)) {
      this.book.open(d, date);
      this.openedAt = d;
      if (recorder !== null && recorder.start !== d)
        throw new PortfolioInputError(
          'DATE',
          `the book opened on calendar position ${d} (${input.day}), the recorder expects ${recorder.start}; start the recorder on the first date with alphas`,
        );
    }
    if (this.openedAt < 0)
      return {
        dateIndex: d,
        day: input.day,
        open: false,
        accounting: null,
        rebalance: false,
        decision: null,
        exAnteVol: NaN,
        exposures: null,
        held: { instrument: new Int32Array(0), weight: new Float64Array(0) },
      };

    const rebalance = (d - this.openedAt) % this.rebalanceEvery === 0;
    let decision: PortfolioDecision | null = null;
    if (rebalance) {
      const held = this.book.weights.slice();
      const { decision: made, target } = this.decide(input, N);
      decision = made;
      if (recorder !== null && d <= recorder.end) recorder.rebalance(d, held, target, d < recorder.end);
      this.book.decide(target);
    }
    // 4. Ex-ante vol and exposures of the weights held at the close of d.
    const { vol, exposures } = this.heldRisk(N);
    if (recorder !== null && d > recorder.start && d <= recorder.end)
      recorder.closeDay(d, vol, exposures, this.book.exposureStats());
    return {
      dateIndex: d,
      day: input.day,
      open: true,
      accounting,
      rebalance,
      decision,
      exAnteVol: vol,
      exposures,
      held: sparse(this.book.weights),
    };
  }

  private newRiskModel(): RiskModel {
    return new RiskModel({ ...this.options.risk, industries: this.options.industries });
  }

  private checkIds(input: PortfolioDateInput, N: number): void {
    const bad = (where: string, id: number): never => {
      throw new PortfolioInputError(
        'INSTRUMENT',
        `${input.day}: ${where} names instrument id ${id}, outside the dictionary of ${N} codes; append its code to the instruments list before stepping`,
      );
    };
    for (let e = 0; e < input.length; e++) {
      const id = input.instrument[e];
      if (!(Number.isInteger(id) && id >= 0 && id < N)) bad('the cross-section', id);
    }
    const a = input.alphas;
    if (a === null) return;
    if (a.instrument.length < a.length || a.alphaBps.length < a.length)
      throw new PortfolioInputError(
        'ALPHAS',
        `${input.day}: the alphas have ${a.length} rows but shorter columns (${a.instrument.length} ids, ${a.alphaBps.length} values)`,
      );
    for (let k = 0; k < a.length; k++) {
      const id = a.instrument[k];
      if (!(Number.isInteger(id) && id >= 0 && id < N)) bad('an alpha', id);
      if (!Number.isFinite(a.alphaBps[k]))
        throw new PortfolioInputError(
          'ALPHAS',
          `${input.day}: the alpha of ${this.options.instruments[id]} is ${a.alphaBps[k]}; every alpha must be a finite number of bps — fix or drop the row`,
        );
    }
    if (a.length > 0 && !(Number.isFinite(a.horizonDays) && a.horizonDays > 0))
      throw new PortfolioInputError(
        'ALPHAS',
        `${input.day}: horizon_days is ${a.horizonDays}; it must be a positive number of dates (SPEC §9)`,
      );
  }

  private grow(N: number): void {
    if (this.bar.length >= N) return;
    const cap = Math.max(N, this.bar.length * 2, 16);
    this.bar = new Uint8Array(cap);
    this.ret = new Float64Array(cap);
    this.member = new Uint8Array(cap);
    const stamp = new Int32Array(cap);
    stamp.set(this.stamp);
    this.stamp = stamp;
    this.alphaOf = new Float64Array(cap);
  }

  /** The date's dense views for the book: bar, return, benchmark member (a member entry with a real bar). */
  private scatter(input: PortfolioDateInput, N: number): void {
    this.bar.fill(0, 0, N);
    this.ret.fill(NaN, 0, N);
    this.member.fill(0, 0, N);
    for (let e = 0; e < input.length; e++) {
      if (input.carried !== null && input.carried[e] === 1) continue;
      const i = input.instrument[e];
      this.bar[i] = 1;
      this.ret[i] = input.dailyReturn[e];
      if (input.member === null || input.member[e] === 1) this.member[i] = 1;
    }
  }

  /** The optimizer's decision on d; the dense target (null = keep the book). */
  private decide(
    input: PortfolioDateInput,
    N: number,
  ): { decision: PortfolioDecision; target: Float64Array | null } {
    const alphas = input.alphas;
    if (alphas === null || alphas.length === 0)
      return {
        decision: {
          status: 'no_alphas',
          relaxations: [],
          reason: `no alphas on ${input.day}: the book is kept`,
          targets: null,
          objective: NaN,
          turnover: 0,
          solveMs: 0,
          modelId: null,
          horizonDays: NaN,
          names: 0,
        },
        target: null,
      };
    // The problem's names: held, with an alpha, or in the benchmark; ascending ids.
    const w = this.book.weights;
    const bench = this.book.benchmark;
    const mark = ++this.stampValue;
    const stamp = this.stamp;
    for (let k = 0; k < alphas.length; k++) {
      const i = alphas.instrument[k];
      stamp[i] = mark;
      this.alphaOf[i] = alphas.alphaBps[k];
    }
    const hasAlphaMark = mark;
    let count = 0;
    for (let i = 0; i < N; i++)
      if (stamp[i] === hasAlphaMark || w[i] !== 0 || (bench !== null && bench[i] !== 0)) count++;
    const names = new Int32Array(count);
    count = 0;
    for (let i = 0; i < N; i++)
      if (stamp[i] === hasAlphaMark || w[i] !== 0 || (bench !== null && bench[i] !== 0)) names[count++] = i;
    const n = names.length;
    const alphaBps = new Float64Array(n);
    const hasAlpha = new Uint8Array(n);
    const currentWeights = new Float64Array(n);
    const hasBar = new Uint8Array(n);
    const benchmark = bench === null ? null : new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = names[k];
      if (stamp[i] === hasAlphaMark) {
        hasAlpha[k] = 1;
        alphaBps[k] = this.alphaOf[i];
      }
      currentWeights[k] = w[i];
      hasBar[k] = this.bar[i];
      if (benchmark !== null && bench !== null) benchmark[k] = bench[i];
    }
    const problem: PortfolioProblem = {
      alphaBps,
      hasAlpha,
      horizonDays: alphas.horizonDays,
      currentWeights,
      hasBar,
      benchmark,
      risk: this.risk.factorRisk(names),
      costs: costRatesOn(this.options.rules, parseIsoDay(input.day)),
      firstRebalance: this.decisions === 0,
    };
    let result: OptimizeResult;
    try {
      result = optimizeWeights(
        problem,
        this.optimizerOptions,
        this.options.solver === undefined ? {} : { solver: this.options.solver },
      );
    } catch (e) {
      // Bad input of the date (e.g. the risk model not ready yet): one line naming the date.
      if (e instanceof InputError)
        throw new PortfolioInputError('ALPHAS', `${input.day}: ${e.message}`, { cause: e });
      throw e;
    }
    this.decisions++;
    const kept = result.status === 'kept_current';
    let target: Float64Array | null = null;
    if (!kept) {
      target = new Float64Array(N);
      for (let k = 0; k < n; k++) target[names[k]] = result.weights[k];
    }
    return {
      decision: {
        status: result.status,
        relaxations: result.relaxations,
        reason: result.reason,
        targets: kept ? null : { instrument: names, weight: result.weights },
        objective: result.objective,
        turnover: result.turnover,
        solveMs: result.solveMs,
        modelId: alphas.modelId,
        horizonDays: alphas.horizonDays,
        names: n,
      },
      target,
    };
  }

  /** Ex-ante daily vol and `X'(w - b)` of the weights held now, on the risk model of the last date. */
  private heldRisk(N: number): { vol: number; exposures: Float64Array } {
    const w = this.book.weights;
    const bench = this.book.benchmark;
    let count = 0;
    for (let i = 0; i < N; i++) if (w[i] !== 0 || (bench !== null && bench[i] !== 0)) count++;
    const names = new Int32Array(count);
    const active = new Float64Array(count);
    count = 0;
    for (let i = 0; i < N; i++) {
      if (!(w[i] !== 0 || (bench !== null && bench[i] !== 0))) continue;
      names[count] = i;
      active[count++] = w[i] - (bench === null ? 0 : bench[i]);
    }
    const risk: FactorRisk = this.risk.factorRisk(names);
    const K = risk.factors;
    const exposures = new Float64Array(K);
    for (let k = 0; k < count; k++) {
      const a = active[k];
      for (let f = 0; f < K; f++) exposures[f] += risk.exposures[k * K + f] * a;
    }
    const variance = count === 0 ? 0 : exAnteVariance(risk, active);
    return { vol: Math.sqrt(variance), exposures };
  }
}

function sparse(w: Float64Array): SparseWeights {
  let n = 0;
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) n++;
  const instrument = new Int32Array(n);
  const weight = new Float64Array(n);
  n = 0;
  for (let i = 0; i < w.length; i++)
    if (w[i] !== 0) {
      instrument[n] = i;
      weight[n++] = w[i];
    }
  return { instrument, weight };
}
