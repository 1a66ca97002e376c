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
export function validateBars(options: ValidateBarsOptions): OperatorFunction<Routed<MarketEvent> | Checkpoint, Routed<MarketEvent> | Checkpoint> {
  const regions = new Set(options.regions);
  const industryFromTable = options.industryFromTable ?? false;
  return map((input) => {
    if (isCheckpoint(input) || input.kind === 'dead') return input;
    const event = input.value;
    const violation = event.kind === 'bar' ? checkBar(event.bar, regions, industryFromTable) : checkEod(event.eod, regions);
    if (violation === null) return input;
    const letter: DeadLetter = { ...violation, source: input.source, event };
    return { kind: 'dead', letter };
  });
}

const showDate = (day: number): string => (Number.isSafeInteger(day) ? formatIsoDay(day) : String(day));

export function checkBar(bar: BarEvent, regions: ReadonlySet<string>, industryFromTable = false): Violation | null {
  const what = `bar ${JSON.stringify(bar.instrument)} ${showDate(bar.date)}`;
  if (!regions.has(bar.region)) {
    return { reason: 'unknown_region', code: 'UNKNOWN_REGION', detail: `${what}: region ${JSON.stringify(bar.region)} is not one of ${[...regions].join(', ')}` };
  }
  const invalid = (code: string, detail: string): Violation => ({ reason: 'invalid_bar', code, detail: `${what}: ${detail}` });
  if (!Number.isSafeInteger(bar.date)) return invalid('INVALID_DATE', `date ${bar.date} is not a day number`);
  if (typeof bar.instrument !== 'string' || bar.instrument.length === 0) return invalid('MISSING_INSTRUMENT', 'instrument code is empty');
  if (bar.industry === '' || (bar.industry === null && !industryFromTable)) {
    return invalid('MISSING_INDUSTRY', 'industry is empty and no industry table is configured (SPEC §1 requires one)');
  }
  const { open, high, low, close, volume, amount, shares_out: sharesOut, factor } = bar;
  for (const [field, value] of [
    ['open', open],
    ['high', high],
    ['low', low],
    ['close', close],
  ] as const) {
    if (!Number.isFinite(value)) return invalid('NON_FINITE_PRICE', `${field} = ${value} is not finite`);
    if (value <= 0) return invalid('NON_POSITIVE_PRICE', `${field} = ${value} is not > 0`);
  }
  if (high < low) return invalid('HIGH_BELOW_LOW', `high ${high} < low ${low}`);
  if (high < open || high < close || low > open || low > close) {
    return invalid('OHLC_INCONSISTENT', `open ${open} or close ${close} outside [low ${low}, high ${high}]`);
  }
  if (!Number.isFinite(volume)) return invalid('NON_FINITE_VOLUME', `volume = ${volume} is not finite`);
  if (volume < 0) return invalid('NEGATIVE_VOLUME', `volume = ${volume} is negative`);
  if (amount !== null && !(amount >= 0 && amount !== Infinity)) return invalid('INVALID_AMOUNT', `amount = ${amount} is not a finite value >= 0`);
  if (sharesOut !== null && !(sharesOut >= 0 && sharesOut !== Infinity)) {
    return invalid('INVALID_SHARES_OUT', `shares_out = ${sharesOut} is not a finite value >= 0`);
  }
  if (factor !== null && !(factor > 0 && factor !== Infinity)) return invalid('INVALID_FACTOR', `factor = ${factor} is not a finite value > 0`);
  return null;
}

export function checkEod(eod: EndOfDayEvent, regions: ReadonlySet<string>): Violation | null {
  const what = `end-of-day ${JSON.stringify(eod.region)} ${showDate(eod.date)}`;
  if (!regions.has(eod.region)) {
    return { reason: 'unknown_region', code: 'UNKNOWN_REGION', detail: `${what}: region is not one of ${[...regions].join(', ')}` };
  }
  if (!Number.isSafeInteger(eod.date)) return { reason: 'invalid_eod', code: 'INVALID_DATE', detail: `${what}: date is not a day number` };
  if (!Number.isInteger(eod.bar_count) || eod.bar_count < 0) {
    return { reason: 'invalid_eod', code: 'INVALID_BAR_COUNT', detail: `${what}: bar_count ${eod.bar_count} is not an integer >= 0` };
  }
  return null;
}
