import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { formatIsoDay } from '@alphafeed/core';
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
}

export interface Violation {
  readonly reason: DeadLetterReason;
  readonly code: string;
  readonly detail: string;
}

/**
 * The boundary check of SPEC §1 for bars, and the sanity check of markers:
 * the first failing rule becomes a dead letter, valid events pass unchanged.
 * The bar rules are those of the batch CSV source (libs/data `checkBar`), on
 * the raw values before the factor, so that streaming and batch accept the same
 * bars. Codes, in the order they are checked (reason `invalid_bar` unless said):
 *
 * - `UNKNOWN_REGION` (reason `unknown_region`): region not served here;
 * - `INVALID_DATE`: date not an integer day number;
 * - `MISSING_INSTRUMENT`, `MISSING_INDUSTRY` (empty, or null without a table);
 * - `NON_FINITE_PRICE`, `NON_POSITIVE_PRICE`: each of open, high, low, close;
 * - `HIGH_BELOW_LOW`, then `OHLC_INCONSISTENT` (open or close outside [low, high]);
 * - `NON_FINITE_VOLUME`, `NEGATIVE_VOLUME`;
 * - `INVALID_AMOUNT`, `INVALID_SHARES_OUT`: present and negative or not finite;
 * - `INVALID_FACTOR`: present and not finite > 0.
 *
 * Markers (reason `invalid_eod` unless said): `UNKNOWN_REGION`,
 * `INVALID_DATE`, `INVALID_BAR_COUNT` (not an integer >= 0).
 * Dead letters and checkpoints pass through. O(1) per event.
 */
export function validateBars(
  options: ValidateBarsOptions,
): OperatorFunction<Routed<MarketEvent> | Checkpoint, Routed<MarketEvent> | Checkpoint> {
  const regions = new Set(options.regions);
  const industryFromTable = options.industryFromTable ?? false;
  return map((input) => {
    if (isCheckpoint(input) || input.kind === 'dead') return input;
    const event = input.value;
    const violation =
      event.kind === 'bar' ? checkBar(event.bar, regions, industryFromTable) : checkEod(event.eod, regions);
    if (violation === null) return input;
    const letter: DeadLetter = { ...violation, source: input.source, event };
    return { kind: 'dead', letter };
  });
}

const showDate = (day: number): string => (Number.isSafeInteger(day) ? formatIsoDay(day) : String(day));

export function checkBar(
  bar: BarEvent,
  regions: ReadonlySet<string>,
  industryFromTable = false,
): Violation | null {
  const code = barViolation(bar, regions, industryFromTable);
  return code === null ? null : describeBarViolation(code, bar, regions);
}

/**
 * The first failing rule's code, or null. Runs once per bar on the hot path:
 * plain comparisons, no allocation; the text is built only for a violation.
 */
function barViolation(
  bar: BarEvent,
  regions: ReadonlySet<string>,
  industryFromTable: boolean,
): string | null {
  if (!regions.has(bar.region)) return 'UNKNOWN_REGION';
  if (!Number.isSafeInteger(bar.date)) return 'INVALID_DATE';
  if (typeof bar.instrument !== 'string' || bar.instrument.length === 0) return 'MISSING_INSTRUMENT';
  if (bar.industry === '' || (bar.industry === null && !industryFromTable)) return 'MISSING_INDUSTRY';
  const { open, high, low, close, volume, amount, shares_out: sharesOut, factor } = bar;
  if (!(Number.isFinite(open) && Number.isFinite(high) && Number.isFinite(low) && Number.isFinite(close)))
    return 'NON_FINITE_PRICE';
  if (!(open > 0 && high > 0 && low > 0 && close > 0)) return 'NON_POSITIVE_PRICE';
  if (high < low) return 'HIGH_BELOW_LOW';
  if (high < open || high < close || low > open || low > close) return 'OHLC_INCONSISTENT';
  if (!Number.isFinite(volume)) return 'NON_FINITE_VOLUME';
  if (volume < 0) return 'NEGATIVE_VOLUME';
  if (amount !== null && !(amount >= 0 && amount !== Infinity)) return 'INVALID_AMOUNT';
  if (sharesOut !== null && !(sharesOut >= 0 && sharesOut !== Infinity)) return 'INVALID_SHARES_OUT';
  if (factor !== null && !(factor > 0 && factor !== Infinity)) return 'INVALID_FACTOR';
  return null;
}

function describeBarViolation(code: string, bar: BarEvent, regions: ReadonlySet<string>): Violation {
  const what = `bar ${JSON.stringify(bar.instrument)} ${showDate(bar.date)}`;
  if (code === 'UNKNOWN_REGION') {
    return {
      reason: 'unknown_region',
      code,
      detail: `${what}: region ${JSON.stringify(bar.region)} is not one of ${[...regions].join(', ')}`,
    };
  }
  const { open, high, low, close } = bar;
  const prices = `open ${open}, high ${high}, low ${low}, close ${close}`;
  const details: Readonly<Record<string, string>> = {
    INVALID_DATE: `date ${bar.date} is not a day number`,
    MISSING_INSTRUMENT: 'instrument code is empty',
    MISSING_INDUSTRY: 'industry is empty and no industry table is configured (SPEC §1 requires one)',
    NON_FINITE_PRICE: `a price is not finite (${prices})`,
    NON_POSITIVE_PRICE: `a price is not > 0 (${prices})`,
    HIGH_BELOW_LOW: `high ${high} < low ${low}`,
    OHLC_INCONSISTENT: `open ${open} or close ${close} outside [low ${low}, high ${high}]`,
    NON_FINITE_VOLUME: `volume = ${bar.volume} is not finite`,
    NEGATIVE_VOLUME: `volume = ${bar.volume} is negative`,
    INVALID_AMOUNT: `amount = ${bar.amount} is not a finite value >= 0`,
    INVALID_SHARES_OUT: `shares_out = ${bar.shares_out} is not a finite value >= 0`,
    INVALID_FACTOR: `factor = ${bar.factor} is not a finite value > 0`,
  };
  return { reason: 'invalid_bar', code, detail: `${what}: ${details[code]}` };
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
