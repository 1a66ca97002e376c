import type { RegionConfig } from '@alphafeed/config';
import type { MemberOracle } from '@alphafeed/core';
import { FeatureEngine } from '@alphafeed/features';
import type { FeatureName } from '@alphafeed/features';
import { LabelEngine } from '@alphafeed/labels';
import type { ClosedDate } from './closed-date';
import { hasValues } from './engine-dictionaries';

/**
 * The incremental FeatureEngine a streaming service runs (features, and the
 * scorer's own copy), configured as the batch `computeFeatureFrame` is for
 * the same input: whether the input carries `amount` / `shares_out` is
 * decided on the first date, and turnover_20 is a model feature only with
 * shares_out (SPEC §2). `membership` (`engineMembership`) selects each date's
 * rows as the batch's `membership.forPanel(panel)` does.
 */
export function createFeatureEngine(
  config: RegionConfig,
  first: ClosedDate,
  membership: MemberOracle | null = null,
): FeatureEngine {
  const hasSharesOut = hasValues(first.sharesOut);
  const c = config.features;
  return new FeatureEngine({
    features: c.names.filter((n) => hasSharesOut || n !== 'turnover_20') as FeatureName[],
    minIndustrySize: c.min_industry_size,
    ffillLimit: c.ffill_limit,
    winsorize: c.winsorize,
    hasSharesOut,
    hasAmount: hasValues(first.amount),
    membership,
  });
}

/** The incremental LabelEngine of the labels service (SPEC §4), as the batch `computeLabelFrame` is configured. */
export function createLabelEngine(config: RegionConfig, membership: MemberOracle | null = null): LabelEngine {
  return new LabelEngine({
    horizons: config.labels.horizons,
    ffillLimit: config.features.ffill_limit,
    membership,
  });
}
