import type { AdmissionLimits, BarAdmissionOptions } from '@alphafeed/data';
import type { RegionConfig } from './region-config.schema';

/**
 * The bar admission's options from a region config: `data.admission` (keys
 * renamed to the data lib's camelCase) and `calendar.timezone` for "today".
 * One mapping for the batch commands and the stream, so both admit the same
 * bars.
 */
export function admissionOptions(config: RegionConfig): { limits: AdmissionLimits; timezone: string } {
  const a = config.data.admission;
  return {
    limits: {
      minDate: a.min_date,
      maxDaysAhead: a.max_days_ahead,
      instrumentPattern: a.instrument_pattern,
      maxInstrumentLength: a.max_instrument_length,
      maxIndustryLength: a.max_industry_length,
      maxPrice: a.max_price,
      maxVolume: a.max_volume,
      maxAmount: a.max_amount,
      maxSharesOut: a.max_shares_out,
      minFactor: a.min_factor,
      maxFactor: a.max_factor,
    },
    timezone: config.calendar.timezone,
  } satisfies Pick<BarAdmissionOptions, 'limits' | 'timezone'>;
}
