/**
 * What a tear sheet is drawn from: the backtest's files (daily, signal and
 * exposure tables, summary.json) and the last model's training artifacts
 * (CV scores, feature importance), as typed columns. Optional parts are null
 * when their file is absent; their charts then say so instead of drawing.
 */

/** A §12 figure as summary.json writes it: null when undefined (NaN). */
export type Figure = number | null;

export interface ReturnFigures {
  readonly total_return: Figure;
  readonly annual_return: Figure;
  readonly annual_volatility: Figure;
  readonly sharpe: Figure;
  readonly information_ratio: Figure;
  readonly max_drawdown: Figure;
  readonly calmar: Figure;
  readonly hit_rate: Figure;
}

/** summary.json (schemas/BacktestSummary.schema.json), the parts the report shows. */
export interface SummaryDocument {
  readonly region: string;
  readonly mode: string;
  readonly config_hash: string;
  readonly git_sha: string;
  readonly alphas: string;
  readonly start: string;
  readonly end: string;
  readonly rebalance_every: number;
  readonly instruments: number;
  readonly metrics: {
    readonly days: number;
    readonly years: number;
    readonly first_date: string;
    readonly last_date: string;
    readonly net: ReturnFigures;
    readonly gross: ReturnFigures;
    readonly benchmark: Pick<
      ReturnFigures,
      'total_return' | 'annual_return' | 'annual_volatility' | 'sharpe' | 'max_drawdown'
    >;
    readonly turnover_per_rebalance: Figure;
    readonly turnover_per_year: Figure;
    readonly cost_bps_per_year: Figure;
    readonly rebalances: number;
    readonly rebalances_kept: number;
    readonly trades: Readonly<Record<string, number>>;
    readonly bias_statistic: Figure;
    readonly bias_days: number;
    readonly ex_ante_vol_annual: Figure;
    readonly realised_active_vol_annual: Figure;
  };
  readonly signal: {
    readonly ic_mean: Figure;
    readonly ic_std: Figure;
    readonly icir: Figure;
    readonly rank_ic_mean: Figure;
    readonly rank_ic_std: Figure;
    readonly rank_icir: Figure;
    readonly ic_dates: number;
    readonly quintile_next_day_return: readonly Figure[];
    readonly quintile_dates: number;
  } | null;
}

export interface DailyColumns {
  readonly date: readonly string[];
  readonly net: Float64Array;
  readonly gross: Float64Array;
  readonly benchmark: Float64Array;
  readonly cost: Float64Array;
  readonly turnover: Float64Array;
  readonly grossExposure: Float64Array;
  readonly netExposure: Float64Array;
  /** NaN without a risk model. */
  readonly exAnteVol: Float64Array;
}

export interface SignalColumns {
  readonly date: readonly string[];
  readonly ic: Float64Array;
  readonly rankIc: Float64Array;
  /** `quintile[q][k]`: mean next-day return of quintile q + 1 on date k. */
  readonly quintile: readonly Float64Array[];
}

export interface ExposureColumns {
  readonly date: readonly string[];
  readonly factors: readonly string[];
  /** Date-major, `factors.length` wide. */
  readonly values: Float64Array;
}

/** One line of cv_scores.jsonl. */
export interface CvScoreLine {
  readonly model: string;
  readonly horizon: string;
  readonly fold_id: number | 'oof';
  readonly metric: string;
  readonly value: number | null;
}

export interface FeatureImportance {
  readonly horizon: string;
  readonly feature: readonly string[];
  readonly gain: Float64Array;
}

export interface ReportInputs {
  readonly summary: SummaryDocument;
  readonly daily: DailyColumns;
  readonly signal: SignalColumns | null;
  readonly exposures: ExposureColumns | null;
  readonly cvScores: readonly CvScoreLine[] | null;
  readonly featureImportance: readonly FeatureImportance[] | null;
}
