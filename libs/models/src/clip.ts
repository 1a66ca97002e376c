/**
 * Final clipping of published alphas to [-bps, +bps] (SPEC §6, default 1000).
 * Every published alpha is finite, so a NaN here is a bug upstream and throws.
 */
import { InputError } from '@alphafeed/core';

export interface ClipResult {
  readonly values: Float64Array;
  /** Values strictly outside [-bps, +bps] before clipping (logged by the caller). */
  readonly clipped: number;
}

export function clipAlphas(values: Float64Array, bps: number): ClipResult {
  if (!(bps > 0) || !Number.isFinite(bps))
    throw new InputError(`alpha clip must be a finite bps > 0, got ${bps}`);
  const out = new Float64Array(values.length);
  let clipped = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) throw new InputError(`alpha at row ${i} is NaN; published alphas must be finite`);
    if (v > bps) {
      out[i] = bps;
      clipped++;
    } else if (v < -bps) {
      out[i] = -bps;
      clipped++;
    } else {
      out[i] = v;
    }
  }
  return { values: out, clipped };
}
