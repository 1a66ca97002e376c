import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { formatIsoDay } from '@alphafeed/core';
import { BarAdmission, BarRecord } from '@alphafeed/data';
import type { AdmissionLimits } from '@alphafeed/data';
import { Checkpoint, isCheckpoint } from './checkpoint';
import type { BarEvent, DeadLetter, DeadLetterReason, EndOfDayEvent, MarketEvent, Routed } from './events';

export interface ValidateBarsOptions {
  /** Regions this pipeline serves; anything else is dead-lettered as `unknown_region`. */
  readonly regions: readonly string[];
  /**
   * Accept bars with a null industry (default false): set it when
   * `closeDates` gets an `industryOf` table lookup.
   */
  readonly industryFromTable?: boolean;
  /**
   * Bounds of the admission (config `data.admission`) and the exchange's
   * zone for "today" (config `calendar.timezone`); defaults
   * `DEFAULT_ADMISSION_LIMITS` and UTC.
   */
  readonly admission?: { readonly limits?: Partial<AdmissionLimits>; readonly timezone?: string };
}

export interface Violation {
  readonly reason: DeadLetterReason;
  readonly code: string;
  readonly detail: string;
}

/**
 * The boundary check of SPEC §1 for bars, and the sanity check of markers:
 * the first failing rule becomes a dead letter, valid events pass unchanged.
 * Bars go through `BarAdmission` of @alphafeed/data, the one admission the
 * batch sources use, so streaming and batch accept the same bars and name a
 * refusal the same way: reason `invalid_bar`, code one of
 * `BAR_REJECT_REASONS` (`date_out_of_range`, `instrument_not_allowed`,
 * `price_not_positive_finite`, `value_out_of_range`, …); a bar of a region
 * not served here is `unknown_region` / `unknown_region`.
 *
 * Markers (reason `invalid_eod` unless said): `UNKNOWN_REGION`,
 * `INVALID_DATE`, `INVALID_BAR_COUNT` (not an integer >= 0).
 * Dead letters and checkpoints pass through. O(1) per event.
 */
export function validateBars(
  options: ValidateBarsOptions,
): OperatorFunction<Routed<MarketEvent> | Checkpoint, Routed<MarketEvent> | Checkpoint> {
  const regions = new Set(options.regions);
  const admission = new BarAdmission({
    limits: options.admission?.limits,
    timezone: options.admission?.timezone,
    industryResolvedLater: options.industryFromTable ?? false,
  });
  const record = new BarRecord();
  return map((input) => {
    if (isCheckpoint(input) || input.kind === 'dead') return input;
    const event = input.value;
    const violation =
      event.kind === 'bar' ? checkBar(event.bar, regions, admission, record) : checkEod(event.eod, regions);
    if (violation === null) return input;
    const letter: DeadLetter = { ...violation, source: input.source, event };
    return { kind: 'dead', letter };
  });
}

const showDate = (day: number): string => (Number.isSafeInteger(day) ? formatIsoDay(day) : String(day));

/** The first failing rule of a bar as a violation, or null; `record` is scratch space. */
export function checkBar(
  bar: BarEvent,
  regions: ReadonlySet<string>,
  admission: BarAdmission,
  record: BarRecord = new BarRecord(),
): Violation | null {
  if (!regions.has(bar.region)) {
    return {
      reason: 'unknown_region',
      code: 'unknown_region',
      detail: `bar ${JSON.stringify(bar.instrument)} ${showDate(bar.date)}: region ${JSON.stringify(bar.region)} is not one of ${[...regions].join(', ')}`,
    };
  }
  const refused = admission.admitEvent(bar, record);
  if (refused === null) return null;
  const code = typeof bar.instrument === 'string' ? bar.instrument : String(bar.instrument);
  return { reason: 'invalid_bar', code: refused, detail: admission.describe(refused, record, code) };
}

export function checkEod(eod: EndOfDayEvent, regions: ReadonlySet<string>): Violation | null {
  const what = `end-of-day ${JSON.stringify(eod.region)} ${showDate(eod.date)}`; // markers are rare: one per date
  if (!regions.has(eod.region)) {
    return {
      reason: 'unknown_region',
      code: 'UNKNOWN_REGION',
      detail: `${what}: region is not one of ${[...regions].join(', ')}`,
    };
  }
  if (!Number.isSafeInteger(eod.date))
    return { reason: 'invalid_eod', code: 'INVALID_DATE', detail: `${what}: date is not a day number` };
  if (!Number.isInteger(eod.bar_count) || eod.bar_count < 0) {
    return {
      reason: 'invalid_eod',
      code: 'INVALID_BAR_COUNT',
      detail: `${what}: bar_count ${eod.bar_count} is not an integer >= 0`,
    };
  }
  return null;
}
