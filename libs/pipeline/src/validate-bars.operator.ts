import { map } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { parseIsoDay } from '@alphafeed/core';
import { Checkpoint, isCheckpoint } from './checkpoint';
import type { BarEvent, DeadLetter, DeadLetterReason, EndOfDayEvent, MarketEvent, Routed } from './events';

export interface ValidateBarsOptions {
  /** Regions this pipeline serves; anything else is dead-lettered as `unknown_region`. */
  readonly regions: readonly string[];
}

interface Violation {
  readonly reason: DeadLetterReason;
  readonly code: string;
  readonly detail: string;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close'] as const;

/**
 * The boundary check of SPEC §1 for bars, and the sanity check of markers:
 * the first failing rule becomes a dead letter, valid events pass unchanged.
 * Bars: known region (`unknown_region`/`UNKNOWN_REGION`), ISO date
 * (`INVALID_DATE`), instrument and industry present (`MISSING_INSTRUMENT`,
 * `MISSING_INDUSTRY`), finite prices (`NON_FINITE_PRICE`) above zero
 * (`NON_POSITIVE_PRICE`), `high >= low` (`HIGH_BELOW_LOW`), finite
 * (`NON_FINITE_VOLUME`) non-negative volume (`NEGATIVE_VOLUME`), amount finite
 * and >= 0 (`INVALID_AMOUNT`) and shares_out finite and > 0
 * (`INVALID_SHARES_OUT`) when present; all with reason `invalid_bar`.
 * Markers: known region, ISO date, integer `bar_count >= 0`
 * (`INVALID_BAR_COUNT`), reason `invalid_eod`. Open and close outside
 * [low, high] are accepted: vendors round them independently.
 * Dead letters and checkpoints pass through. O(1) per event.
 */
export function validateBars(options: ValidateBarsOptions): OperatorFunction<Routed<MarketEvent> | Checkpoint, Routed<MarketEvent> | Checkpoint> {
  const regions = new Set(options.regions);
  return map((input) => {
    if (isCheckpoint(input) || input.kind === 'dead') return input;
    const event = input.value;
    const violation = event.kind === 'bar' ? checkBar(event.bar, regions) : checkEod(event.eod, regions);
    if (violation === null) return input;
    const letter: DeadLetter = { ...violation, source: input.source, event };
    return { kind: 'dead', letter };
  });
}

export function checkBar(bar: BarEvent, regions: ReadonlySet<string>): Violation | null {
  const what = `bar ${JSON.stringify(bar.instrument)} ${JSON.stringify(bar.date)}`;
  if (!regions.has(bar.region)) {
    return { reason: 'unknown_region', code: 'UNKNOWN_REGION', detail: `${what}: region ${JSON.stringify(bar.region)} is not one of ${[...regions].join(', ')}` };
  }
  const invalid = (code: string, detail: string): Violation => ({ reason: 'invalid_bar', code, detail: `${what}: ${detail}` });
  if (Number.isNaN(parseIsoDay(bar.date))) return invalid('INVALID_DATE', 'date is not a valid YYYY-MM-DD date');
  if (typeof bar.instrument !== 'string' || bar.instrument.length === 0) return invalid('MISSING_INSTRUMENT', 'instrument code is empty');
  if (typeof bar.industry !== 'string' || bar.industry.length === 0) return invalid('MISSING_INDUSTRY', 'industry is empty (SPEC §1 requires it)');
  for (const field of PRICE_FIELDS) {
    const value = bar[field];
    if (!Number.isFinite(value)) return invalid('NON_FINITE_PRICE', `${field} = ${value} is not finite`);
    if (value <= 0) return invalid('NON_POSITIVE_PRICE', `${field} = ${value} is not > 0`);
  }
  if (bar.high < bar.low) return invalid('HIGH_BELOW_LOW', `high ${bar.high} < low ${bar.low}`);
  if (!Number.isFinite(bar.volume)) return invalid('NON_FINITE_VOLUME', `volume = ${bar.volume} is not finite`);
  if (bar.volume < 0) return invalid('NEGATIVE_VOLUME', `volume = ${bar.volume} is negative`);
  if (bar.amount !== null && !(Number.isFinite(bar.amount) && bar.amount >= 0)) return invalid('INVALID_AMOUNT', `amount = ${bar.amount} is not a finite value >= 0`);
  if (bar.shares_out !== null && !(Number.isFinite(bar.shares_out) && bar.shares_out > 0)) {
    return invalid('INVALID_SHARES_OUT', `shares_out = ${bar.shares_out} is not a finite value > 0`);
  }
  return null;
}

export function checkEod(eod: EndOfDayEvent, regions: ReadonlySet<string>): Violation | null {
  const what = `end-of-day ${JSON.stringify(eod.region)} ${JSON.stringify(eod.date)}`;
  if (!regions.has(eod.region)) {
    return { reason: 'unknown_region', code: 'UNKNOWN_REGION', detail: `${what}: region is not one of ${[...regions].join(', ')}` };
  }
  if (Number.isNaN(parseIsoDay(eod.date))) return { reason: 'invalid_eod', code: 'INVALID_DATE', detail: `${what}: date is not a valid YYYY-MM-DD date` };
  if (!Number.isInteger(eod.bar_count) || eod.bar_count < 0) {
    return { reason: 'invalid_eod', code: 'INVALID_BAR_COUNT', detail: `${what}: bar_count ${eod.bar_count} is not an integer >= 0` };
  }
  return null;
}
