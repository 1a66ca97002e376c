import type { CostModel, OptimizerOptions } from './optimizer.types';

/** SPEC §11 defaults. */
export const DEFAULT_OPTIMIZER_OPTIONS: OptimizerOptions = Object.freeze({
  mode: 'long_short',
  gross: 2.0,
  maxWeight: 0.01,
  styleBound: 0.05,
  activeMax: 0.02,
  industryBound: 0.03,
  maxTurnover: 0.25,
  lambda: 50,
  tolerance: 1e-8,
});

/** US: buy = sell = 5 bps. */
export const DEFAULT_US_COSTS: CostModel = Object.freeze({ kind: 'flat', costBps: 5 });

/** CN: 2.5 bps commission each way, stamp duty on sells 10 bps before 2023-08-28, 5 bps from then. */
export const DEFAULT_CN_COSTS: CostModel = Object.freeze({
  kind: 'cn',
  commissionBps: 2.5,
  stampDuty: Object.freeze([
    Object.freeze({ from: '0000-01-01', bps: 10 }),
    Object.freeze({ from: '2023-08-28', bps: 5 }),
  ]),
});

/** Fills defaults and validates once (cross-field checks included). */
export function resolveOptimizerOptions(options: Partial<OptimizerOptions> = {}): OptimizerOptions {
  const o = { ...DEFAULT_OPTIMIZER_OPTIONS, ...options };
  if (o.mode !== 'long_short' && o.mode !== 'long_only') {
    throw new RangeError(`mode must be "long_short" or "long_only", got ${JSON.stringify(o.mode)}`);
  }
  positive('gross', o.gross, 'the SPEC default is 2.0');
  positive('maxWeight', o.maxWeight, 'the SPEC default is 0.01');
  nonNegative('styleBound', o.styleBound, 'the SPEC default is 0.05');
  positive('activeMax', o.activeMax, 'the SPEC default is 0.02');
  nonNegative('industryBound', o.industryBound, 'the SPEC default is 0.03');
  if (o.maxTurnover !== null)
    nonNegative('maxTurnover', o.maxTurnover, 'null means no limit; the SPEC default is 0.25');
  nonNegative('lambda', o.lambda, 'the SPEC default is 50');
  if (!(o.tolerance > 0 && o.tolerance <= 1e-6)) {
    throw new RangeError(
      `tolerance must be in (0, 1e-6] (SPEC §11 asks for 1e-6 or better), got ${o.tolerance}`,
    );
  }
  return Object.freeze(o);
}

function positive(name: string, value: number, hint: string): void {
  if (!(value > 0 && Number.isFinite(value)))
    throw new RangeError(`${name} must be a positive number, got ${value}; ${hint}`);
}

function nonNegative(name: string, value: number, hint: string): void {
  if (!(value >= 0 && Number.isFinite(value)))
    throw new RangeError(`${name} must be a number >= 0, got ${value}; ${hint}`);
}
