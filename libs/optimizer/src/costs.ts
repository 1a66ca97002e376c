/**
 * Trade cost rates per unit of weight (SPEC §11): the optimizer takes the
 * decision date's rates, the backtest charges the fill date's, both through
 * this one function.
 */
import { InputError } from '@alphafeed/core';
import type { CostModel, TradeCosts } from './optimizer.types';

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Buy and sell cost fractions in force on `isoDate` (YYYY-MM-DD). O(schedule length). */
export function costRates(model: CostModel, isoDate: string): TradeCosts {
  if (!ISO_DAY.test(isoDate))
    throw new InputError(`costRates needs an ISO date YYYY-MM-DD, got ${JSON.stringify(isoDate)}`);
  if (model.kind === 'flat') {
    const c = model.costBps * 1e-4;
    return { buy: c, sell: c };
  }
  let stamp = 0;
  // ISO dates order as strings; the schedule is sorted by `from`, the last entry on or before the date wins.
  for (const step of model.stampDuty) if (step.from <= isoDate) stamp = step.bps;
  return { buy: model.commissionBps * 1e-4, sell: (model.commissionBps + stamp) * 1e-4 };
}

/** Validates a cost model once (config boundary): finite non-negative rates, a sorted schedule of ISO dates. */
export function validateCostModel(model: CostModel): CostModel {
  if (model.kind === 'flat') {
    if (!(model.costBps >= 0 && Number.isFinite(model.costBps))) {
      throw new RangeError(`costBps must be a number >= 0, got ${model.costBps}; the SPEC default is 5`);
    }
    return model;
  }
  if (!(model.commissionBps >= 0 && Number.isFinite(model.commissionBps))) {
    throw new RangeError(
      `commissionBps must be a number >= 0, got ${model.commissionBps}; the SPEC default is 2.5`,
    );
  }
  let previous = '';
  for (const step of model.stampDuty) {
    if (!ISO_DAY.test(step.from) || step.from <= previous) {
      throw new RangeError(
        `stampDuty must be sorted by ISO "from" dates, got ${JSON.stringify(step.from)} after ${JSON.stringify(previous)}`,
      );
    }
    if (!(step.bps >= 0 && Number.isFinite(step.bps))) {
      throw new RangeError(`stampDuty bps must be >= 0, got ${step.bps} from ${step.from}`);
    }
    previous = step.from;
  }
  return model;
}
