/**
 * Public shapes of @alphafeed/portfolio: what one closed date brings to the
 * engine (`PortfolioDateInput`), what the engine answers (`PortfolioStep`).
 * Columnar, instrument ids into a dictionary the caller keeps stable (ids
 * only grow).
 */
import type { BookDay } from '@alphafeed/backtest';
import type { OptimizeStatus, Relaxation } from '@alphafeed/optimizer';
import type { RiskDateInput } from '@alphafeed/risk';

/** The point-in-time alphas of one date (SPEC §9), one entry per instrument. */
export interface DateAlphas {
  readonly length: number;
  readonly instrument: Int32Array;
  /** `alpha_combined` in bps; a NaN is bad input. */
  readonly alphaBps: Float64Array;
  /** H of the scoring model (SPEC §9 `horizon_days`). */
  readonly horizonDays: number;
  readonly modelId: string;
}

/**
 * One closed date. The cross-section is the risk model's input (SPEC §10,
 * `RiskDateInput`): an entry is a member row (a real bar, or a carried row
 * with `carried` 1) or a non-member's real bar (`member` 0, given for its
 * return). An entry that is not carried has a real bar on the date; names
 * without an entry have no bar. Canonical order: ascending instrument id
 * (`portfolioDateInput` builds it so; the factor regression's sums follow it).
 */
export interface PortfolioDateInput extends RiskDateInput {
  /** Calendar position (consecutive from the first date stepped). */
  readonly dateIndex: number;
  /** ISO `YYYY-MM-DD`: the cost schedule (stamp duty) and the CN growth-board rule. */
  readonly day: string;
  /** The date's alphas, or null when there are none (no decision before the first alphas). */
  readonly alphas: DateAlphas | null;
}

/** Sparse weights, ascending instrument ids. */
export interface SparseWeights {
  readonly instrument: Int32Array;
  readonly weight: Float64Array;
}

/** The decision of a rebalance date. */
export interface PortfolioDecision {
  /** `optimal` / `relaxed` / `kept_current` (optimizer), or `no_alphas` (the date had none: book kept). */
  readonly status: OptimizeStatus | 'no_alphas';
  readonly relaxations: readonly Relaxation[];
  /** Why the book was kept, or null. */
  readonly reason: string | null;
  /**
   * Every name of the problem (held, with an alpha, or in the benchmark) with
   * its target weight, zeros included (a name to sell out has 0); null when
   * the book is kept (`kept_current`, `no_alphas`). Fills at the next close.
   */
  readonly targets: SparseWeights | null;
  /** SPEC §11 objective at the target (NaN when kept without a solve). */
  readonly objective: number;
  /** One-sided turnover `sum |w - w0| / 2` the target asks for. */
  readonly turnover: number;
  readonly solveMs: number;
  readonly modelId: string | null;
  readonly horizonDays: number;
  /** Names in the problem. */
  readonly names: number;
}

/** What `PortfolioEngine.step` returns for a date. */
export interface PortfolioStep {
  readonly dateIndex: number;
  readonly day: string;
  /** True once the book has opened (the first date with alphas at or after `start`). */
  readonly open: boolean;
  /** The accounting of the date (SPEC §12); null until the date after the book opens. */
  readonly accounting: BookDay | null;
  /** True on a rebalance date (every `rebalanceEvery` positions from the opening date). */
  readonly rebalance: boolean;
  readonly decision: PortfolioDecision | null;
  /** Ex-ante daily vol `sqrt((w-b)' Sigma_t (w-b))` of the weights held at the close; NaN before the book opens. */
  readonly exAnteVol: number;
  /** `X_t'(w - b)` per risk factor (`PortfolioEngine.factorNames`); null before the book opens. */
  readonly exposures: Float64Array | null;
  /** Weights held at the close of the date (after its fills, before its decision fills). */
  readonly held: SparseWeights;
}
