/**
 * The per-horizon block of `splits.json` from a plan: what the trainer writes
 * and what the golden test compares. Key order follows the golden file.
 */
import type { CvPlan, GroupReport, SplitReport } from './split.types';

export interface HorizonSplitsReport {
  readonly n_samples: number;
  readonly n_dates: number;
  readonly oof_coverage: number;
  readonly folds: readonly SplitReport[];
  readonly groups?: readonly GroupReport[];
}

/** `oofCoverage` is `assembleOof(...).coverage` (a fraction; 1 for cpcv). */
export function horizonSplitsReport(plan: CvPlan, oofCoverage: number): HorizonSplitsReport {
  const folds = plan.splits.map((s) => s.report);
  return plan.method === 'cpcv'
    ? {
        n_samples: plan.nSamples,
        n_dates: plan.nDates,
        oof_coverage: oofCoverage,
        folds,
        groups: plan.groups,
      }
    : { n_samples: plan.nSamples, n_dates: plan.nDates, oof_coverage: oofCoverage, folds };
}
