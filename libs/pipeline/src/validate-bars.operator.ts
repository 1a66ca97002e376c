import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { formatIsoDay, parseIsoDay } from '@alphafeed/core';
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
 * the first failing rule becomes a dead letter.
 * Bars go through `BarAdmission` of @alphafeed/data, the one admission the
 * batch sources use, so streaming and batch accept the same bars and name a
 * refusal the same way: reason `invalid_bar`, code one of
 * `BAR_REJECT_REASONS` (`date_out_of_range`, `instrument_not_allowed`,
 * `price_not_positive_finite`, `value_out_of_range`, …); a bar of a region
 * not served here is `unknown_region` / `unknown_region`.
 *
 * The admission is also where the adjustment factor is applied, once, for
 * the whole stream (SPEC §1: OHLC x factor, volume / factor): a valid bar
 * with a factor leaves as a new event with the adjusted values and
 * `factor: null`; one without a factor passes unchanged (same object).
 * Everything downstream (the bar archive, the date closer, restatements and
 * rebuilds) holds adjusted bars only.
 *
 * Markers (reason `invalid_eod` unless said): `UNKNOWN_REGION`,
 * `INVALID_DATE` (not a day number), `date_out_of_range` (outside the
 * admission's date bounds, as for bars), `INVALID_BAR_COUNT` (not an integer
 * >= 0). Dead letters and checkpoints pass through. O(1) per event.
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
  const minDay = parseIsoDay(admission.limits.minDate);
  return map((input) => {
    if (isCheckpoint(input) || input.kind === 'dead') return input;
    const event = input.value;
    const violation =
      event.kind === 'bar'
        ? checkBar(event.bar, regions, admission, record)
        : checkEod(event.eod, regions, { minDay, maxDay: admission.maxDay() });
    if (violation === null) {
      if (event.kind === 'eod' || event.bar.factor === null) return input;
      return { ...input, value: { kind: 'bar', bar: adjusted(event.bar, record) } };
    }
    const letter: DeadLetter = { ...violation, source: input.source, event };
    return { kind: 'dead', letter };
  });
}

/** The bar with the admission's adjusted values (`record` after `admitEvent`) and no factor left to apply. */
function adjusted(bar: BarEvent, record: BarRecord): BarEvent {
  return {
    ...bar,
    open: record.open,
    high: record.high,
    low: record.low,
    close: record.close,
    volume: record.volume,
    factor: null,
  };
}

const showDate = (day: number): string => (Number.isSafeInteger(day) ? formatIsoDay(day) : String(day));
/** A string of the message for a detail line, at most 64 characters of it. */
const clip = (value: unknown): string =>
  JSON.stringify(typeof value === 'string' && value.length > 64 ? `${value.slice(0, 64)}…` : value);

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
      detail: `bar ${clip(bar.instrument)} ${showDate(bar.date)}: region ${clip(bar.region)} is not one of ${[...regions].join(', ')}`,
    };
  }
  const refused = admission.admitEvent(bar, record);
  if (refused === null) return null;
  const code = typeof bar.instrument === 'string' ? bar.instrument : String(bar.instrument);
  return { reason: 'invalid_bar', code: refused, detail: admission.describe(refused, record, code) };
}

export function checkEod(
  eod: EndOfDayEvent,
  regions: ReadonlySet<string>,
  dates: { readonly minDay: number; readonly maxDay: number } = { minDay: -Infinity, maxDay: Infinity },
): Violation | null {
  const what = `end-of-day ${clip(eod.region)} ${showDate(eod.date)}`; // markers are rare: one per date
  if (!regions.has(eod.region)) {
    return {
      reason: 'unknown_region',
      code: 'UNKNOWN_REGION',
      detail: `${what}: region is not one of ${[...regions].join(', ')}`,
    };
  }
  if (!Number.isSafeInteger(eod.date))
    return { reason: 'invalid_eod', code: 'INVALID_DATE', detail: `${what}: date is not a day number` };
  if (eod.date < dates.minDay || eod.date > dates.maxDay)
    return {
      reason: 'invalid_eod',
      code: 'date_out_of_range',
      detail: `${what}: the date is outside the admitted dates [${showDate(dates.minDay)}, ${Number.isFinite(dates.maxDay) ? showDate(dates.maxDay) : 'no upper bound'}] (data.admission)`,
    };
  if (!Number.isInteger(eod.bar_count) || eod.bar_count < 0) {
    return {
      reason: 'invalid_eod',
      code: 'INVALID_BAR_COUNT',
      detail: `${what}: bar_count ${eod.bar_count} is not an integer >= 0`,
    };
  }
  return null;
}
