/**
 * The part of `@alphafeed/portfolio`'s incremental engine this service
 * drives (contract: team PORTFOLIO-API.md): one closed date at a time, in
 * calendar order; `reset()` drops all state.
 */
export interface PortfolioDateAlphas {
  readonly instrument: Int32Array;
  readonly alphaBps: Float64Array;
  readonly horizonDays: number;
  readonly modelId: string;
}

export interface PortfolioStepInput {
  readonly dateIndex: number;
  readonly day: string;
  readonly instrument: Int32Array;
  readonly industry: Int32Array;
  readonly member: Uint8Array | null;
  readonly carried: Uint8Array | null;
  readonly hasBar: Uint8Array;
  readonly close: Float64Array;
  readonly dailyReturn: Float64Array;
  readonly beta252: Float64Array;
  readonly size: Float64Array;
  readonly momentum: Float64Array;
  readonly vol60: Float64Array;
  readonly alphas: PortfolioDateAlphas | null;
}

export type SolveStatus = 'optimal' | 'relaxed' | 'kept_current';

export interface PortfolioStepOutput {
  readonly rebalance: boolean;
  readonly targets: { readonly instrument: Int32Array; readonly weight: Float64Array } | null;
  readonly status: SolveStatus | null;
  readonly reason: string | null;
  readonly exAnteVol: number;
  readonly held: { readonly instrument: Int32Array; readonly weight: Float64Array };
}

export interface PortfolioStepper {
  step(input: PortfolioStepInput): PortfolioStepOutput;
}
