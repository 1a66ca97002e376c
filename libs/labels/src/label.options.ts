import type { MemberOracle } from '@alphafeed/core';
import { DEFAULT_FFILL_LIMIT, validateFfillLimit } from '@alphafeed/features';

export interface LabelOptions {
  /** Forward horizons k in calendar positions (SPEC default [21, 63]). */
  readonly horizons: readonly number[];
  /** Must equal the features' carry-forward limit so both row sets match. */
  readonly ffillLimit: number;
  /**
   * Index membership (SPEC §1): the labelled rows and the industry proxies
   * R_{g,d} are the members'; an instrument's own returns count on every bar.
   * Pass the same oracle as the feature engine's. null: everyone, always.
   */
  readonly membership: MemberOracle | null;
}

export const DEFAULT_HORIZONS: readonly number[] = Object.freeze([21, 63]);

/** Fills defaults and validates once, at the boundary. */
export function resolveLabelOptions(options: Partial<LabelOptions> = {}): LabelOptions {
  const horizons = options.horizons ?? DEFAULT_HORIZONS;
  if (horizons.length === 0)
    throw new RangeError('horizons is empty; give at least one horizon, e.g. [21, 63]');
  const seen = new Set<number>();
  for (const k of horizons) {
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(
        `horizon ${k} is not a positive integer number of trading dates; use e.g. [21, 63]`,
      );
    }
    if (seen.has(k)) throw new RangeError(`horizon ${k} is listed twice; list each horizon once`);
    seen.add(k);
  }
  const ffillLimit = options.ffillLimit ?? DEFAULT_FFILL_LIMIT;
  validateFfillLimit(ffillLimit);
  return { horizons: Object.freeze([...horizons]), ffillLimit, membership: options.membership ?? null };
}
