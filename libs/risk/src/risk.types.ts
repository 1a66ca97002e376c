/**
 * Public shapes of @alphafeed/risk (SPEC §10). Everything is columnar: one
 * typed array per field, matrices row-major in one Float64Array.
 */

/** The four style factors, in column order after the industry columns. */
export const STYLE_FACTORS = ['beta_252', 'size', 'momentum', 'vol_60'] as const;
export type StyleFactor = (typeof STYLE_FACTORS)[number];

export interface RiskModelOptions {
  /**
   * Industry names of the whole input: industry id g is exposure column g.
   * K = industries.length + 4 is fixed over the run (SPEC §10).
   */
  readonly industries: readonly string[];
  /** EWMA half-life in dates (SPEC: 90). */
  readonly halfLife: number;
  /** Factor returns in the covariance window (SPEC: 252). */
  readonly window: number;
  /** Own residuals an instrument needs for its own specific variance (SPEC: 63). */
  readonly minResiduals: number;
  /** Quantile of the universe's specific variances used as the floor (SPEC: 0.05). */
  readonly specificFloorQuantile: number;
  /** Style winsorising percentiles as fractions (SPEC: 0.01 / 0.99). */
  readonly winsorize: { readonly lower: number; readonly upper: number };
}

/**
 * One closed date's input, columnar, one entry per instrument (ids unique
 * within the date, any order). An entry is either a row of the date's
 * cross-section (`member` 1: a member with a real bar, or a carried member
 * row), or only a return (a non-member's real bar: its return still counts
 * in the regression of d when it was a member with a row on d - 1).
 */
export interface RiskDateInput {
  readonly length: number;
  readonly instrument: Int32Array;
  /** Industry id in [0, industries.length) as of the date (for a carried row: at its last bar). */
  readonly industry: Int32Array;
  /** 1 = the entry is a row of the date's cross-section; null = every entry is. */
  readonly member: Uint8Array | null;
  /** 1 = carried-forward row (no real bar on the date; must be a member); null = none. */
  readonly carried: Uint8Array | null;
  /** Raw style values (SPEC §2; vol_60 raw). NaN = missing. Ignored on non-member entries. */
  readonly beta252: Float64Array;
  readonly size: Float64Array;
  readonly momentum: Float64Array;
  readonly vol60: Float64Array;
  /**
   * `r_{i,d}` of the instrument's real bar on the date (SPEC §1); NaN when it
   * has no real bar on the date (carried rows) or no previous bar.
   */
  readonly dailyReturn: Float64Array;
}

/**
 * The risk model after closing date t. Arrays are views into the model's
 * buffers, valid until its next `closeDate`; copy what you keep (or use
 * `RiskModel.factorRisk`, which copies).
 */
export interface RiskDateState {
  readonly dateIndex: number;
  /** K = industryFactors + 4. */
  readonly factors: number;
  readonly industryFactors: number;
  /** f_t (K): factor returns booked on t; null on the first date (nothing to regress on). */
  readonly factorReturn: Float64Array | null;
  /** Instruments in t's regression (members with a real row on t - 1 and a return on t). */
  readonly regressionRows: number;
  /** Rows of t's cross-section (member entries, carried included), in input order. */
  readonly length: number;
  readonly instrument: Int32Array;
  /** X_t rows (length × K, row-major). */
  readonly exposures: Float64Array;
  /** s_i^2 per row (daily return variance units); NaN until some instrument has `minResiduals` residuals. */
  readonly specificVariance: Float64Array;
  /** Own residuals of each row in the window. */
  readonly residualCount: Int32Array;
  /** F_t (K × K, row-major, symmetric); all zero before the first factor return. */
  readonly factorCovariance: Float64Array;
}

/**
 * A factor risk model for a list of N instruments: the covariance of daily
 * returns is `X F X' + diag(s^2)`, never formed densely. The optimizer and the
 * ex-ante volatility take this shape; `RiskModel.factorRisk` returns one.
 */
export interface FactorRisk {
  readonly length: number;
  readonly factors: number;
  /** The first `industryFactors` columns are industry 0/1 columns; the rest are styles. */
  readonly industryFactors: number;
  /** Column names, length K. */
  readonly factorNames: readonly string[];
  /** N × K, row-major. */
  readonly exposures: Float64Array;
  /** K × K, row-major, symmetric positive semidefinite. */
  readonly factorCovariance: Float64Array;
  /** N, daily variance units. */
  readonly specificVariance: Float64Array;
}
