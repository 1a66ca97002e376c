/**
 * Public shapes of @alphafeed/optimizer (SPEC §11). The caller (backtest,
 * live portfolio service) maps its `portfolio:` config onto `OptimizerOptions`
 * and `CostModel`; this lib depends on no config.
 */
import type { FactorRisk } from '@alphafeed/risk';

/** `long_short` (US default): b = 0, dollar neutral. `long_only` (CN default): against a benchmark. */
export type PortfolioMode = 'long_short' | 'long_only';

export interface OptimizerOptions {
  readonly mode: PortfolioMode;
  /** long_short: sum |w| <= gross (SPEC default 2.0). */
  readonly gross: number;
  /** long_short: |w_i| <= maxWeight (0.01). */
  readonly maxWeight: number;
  /** Both: |x_s'(w - b)| <= styleBound for each style column (0.05). */
  readonly styleBound: number;
  /** long_only: w_i <= b_i + activeMax (0.02). */
  readonly activeMax: number;
  /** long_only: |x_g'(w - b)| <= industryBound (0.03); long_short: the relaxed neutrality bound. */
  readonly industryBound: number;
  /** One-sided turnover sum(buy + sell) / 2 <= maxTurnover (0.25); null = no limit. */
  readonly maxTurnover: number | null;
  /** Risk aversion lambda (50). */
  readonly lambda: number;
  /** Solver tolerance on the relative duality gap and the residuals (SPEC: <= 1e-6; default 1e-8). */
  readonly tolerance: number;
}

/** Trading costs per unit of weight traded, as fractions (5 bps = 5e-4). */
export interface TradeCosts {
  readonly buy: number;
  readonly sell: number;
}

/** How trade costs are set per date: flat (US) or CN commission + stamp duty on sells. */
export type CostModel =
  | { readonly kind: 'flat'; readonly costBps: number }
  | {
      readonly kind: 'cn';
      /** Commission on buys and sells (SPEC: 2.5 bps). */
      readonly commissionBps: number;
      /** Stamp duty on sells, a schedule of `{ from: ISO date, bps }` sorted by `from` (SPEC: 10, then 5 from 2023-08-28). */
      readonly stampDuty: readonly { readonly from: string; readonly bps: number }[];
    };

/** One rebalance date's problem; all arrays have length N (`risk.length`), one entry per instrument. */
export interface PortfolioProblem {
  /** `alpha_combined` of t in bps; finite wherever `hasAlpha` is 1 (a NaN there is bad input and throws). */
  readonly alphaBps: Float64Array;
  /**
   * 1 = the name has an alpha on t; 0 = it has none (a_i = 0, its weight may
   * only move toward 0; its alphaBps value is ignored). null = every name has one.
   */
  readonly hasAlpha: Uint8Array | null;
  /** H: one period of the objective in days (SPEC §9 `horizon_days`). */
  readonly horizonDays: number;
  /** w0: current (drifted) weights. */
  readonly currentWeights: Float64Array;
  /** 1 = the name has a bar on t (tradable); 0 = its weight stays at w0. */
  readonly hasBar: Uint8Array;
  /** b: benchmark weights (long_only, required); null in long_short (b = 0). */
  readonly benchmark: Float64Array | null;
  /** X_t, F_t, s^2 of t for these N names. */
  readonly risk: FactorRisk;
  /** Cost rates of the decision date (see `costRates`). */
  readonly costs: TradeCosts;
  /** The first rebalance builds the book from cash: no turnover limit. */
  readonly firstRebalance: boolean;
}

export type Relaxation = 'turnover' | 'style' | 'industry';

/**
 * `optimal`: solved with every constraint; `relaxed`: solved after dropping
 * `relaxations` (in SPEC order); `kept_current`: still infeasible (or the
 * solver failed), weights = w0 and `reason` says why.
 */
export type OptimizeStatus = 'optimal' | 'relaxed' | 'kept_current';

export interface OptimizeResult {
  readonly weights: Float64Array;
  readonly status: OptimizeStatus;
  readonly relaxations: readonly Relaxation[];
  /** Why the weights were kept (or null). */
  readonly reason: string | null;
  /** SPEC §11 objective (maximised) at `weights`: a'w - (lambda/2) H (w-b)'Sigma(w-b) - costs. */
  readonly objective: number;
  /** One-sided turnover sum |w - w0| / 2. */
  readonly turnover: number;
  /** Wall time of all solver calls of this problem (ms). */
  readonly solveMs: number;
  /** Solver calls made (1 + relaxations, or more when kept). */
  readonly solves: number;
  /** The last solver call's report (accuracy reached). */
  readonly solver: SolverReport;
}

export interface SolverReport {
  readonly name: string;
  /** The solver's own status word. */
  readonly status: string;
  readonly iterations: number;
  /** Max violation of the constraints as passed to the solver (absolute). */
  readonly primalResidual: number;
  /** Max violation of stationarity (absolute). */
  readonly dualResidual: number;
  /** |primal - dual objective| / max(1, |primal|). */
  readonly relativeGap: number;
}
