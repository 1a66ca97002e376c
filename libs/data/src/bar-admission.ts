import { InputError, formatIsoDay, parseIsoDay } from '@alphafeed/core';
import { findSpan } from './industry.table';
import type { IndustrySpans, IndustryTable } from './industry.table';
import type { MembershipTable } from './membership.table';

/**
 * Why a bar is refused: one vocabulary for every batch source (rejects file)
 * and the stream (dead-letter `code`). A bar gets the first reason it fails,
 * in this order; `missing_fields` (a short CSV record) and `duplicate_key`
 * (a later row of an accepted key in one load) are found by the sources.
 */
export const BAR_REJECT_REASONS = [
  'missing_fields',
  'bad_date',
  'date_out_of_range',
  'bad_instrument',
  'instrument_not_allowed',
  'bad_number',
  'price_not_positive_finite',
  'high_below_low',
  'ohlc_inconsistent',
  'volume_negative_or_nan',
  'amount_or_shares_out_negative',
  'factor_not_positive_finite',
  'value_out_of_range',
  'no_industry',
  'duplicate_key',
] as const;
export type BarRejectReason = (typeof BAR_REJECT_REASONS)[number];

/**
 * Bounds on what is admitted (issue 9 "bounded input"); `data.admission` in
 * the region config. Values are the raw ones, before the factor.
 */
export interface AdmissionLimits {
  /** Earliest bar date, `YYYY-MM-DD`. */
  readonly minDate: string;
  /**
   * Latest bar date = today in the exchange's time zone + this many calendar
   * days; null = no upper bound (replaying a future-dated synthetic panel).
   */
  readonly maxDaysAhead: number | null;
  /** Instrument codes must match this pattern (checked after the length). */
  readonly instrumentPattern: string;
  readonly maxInstrumentLength: number;
  /** Longest industry name; a longer one is `value_out_of_range` (and never stored). */
  readonly maxIndustryLength: number;
  /** Largest open/high/low/close (price per share in the region's currency). */
  readonly maxPrice: number;
  /** Largest volume (shares a day). */
  readonly maxVolume: number;
  /** Largest amount (traded value a day). */
  readonly maxAmount: number;
  readonly maxSharesOut: number;
  /** The factor must lie in [minFactor, maxFactor]. */
  readonly minFactor: number;
  readonly maxFactor: number;
}

export const DEFAULT_ADMISSION_LIMITS: AdmissionLimits = Object.freeze({
  minDate: '1900-01-01',
  maxDaysAhead: 1,
  instrumentPattern: '^[A-Za-z0-9._-]{1,32}$',
  maxInstrumentLength: 32,
  maxIndustryLength: 128,
  maxPrice: 1e9,
  maxVolume: 1e13,
  maxAmount: 1e16,
  maxSharesOut: 1e13,
  minFactor: 1e-6,
  maxFactor: 1e6,
});

export interface BarAdmissionOptions {
  readonly limits?: Partial<AdmissionLimits>;
  /** IANA zone of the exchange: "today" for the upper date bound (default UTC). */
  readonly timezone?: string;
  /** Industries for bars that carry none, as of the bar date. */
  readonly industryTable?: IndustryTable | null;
  /**
   * Accept a bar without industry when there is no table here because a later
   * stage resolves it (the stream's `closeDates` with `industryOf`).
   */
  readonly industryResolvedLater?: boolean;
  readonly membership?: MembershipTable | null;
  /** Clock for "today" (tests). */
  readonly now?: () => number;
}

/**
 * A bar as the stream decodes it (the codec's `BarEvent` fits): typed
 * `unknown` because a message is checked here, not trusted; null optional
 * values are missing.
 */
export interface IncomingBar {
  readonly date: unknown;
  readonly instrument: unknown;
  readonly industry: unknown;
  readonly open: unknown;
  readonly high: unknown;
  readonly low: unknown;
  readonly close: unknown;
  readonly volume: unknown;
  readonly amount: unknown;
  readonly shares_out: unknown;
  readonly factor: unknown;
}

/**
 * One bar on its way in: a source fills it, `BarAdmission.admit` checks it,
 * applies the factor in place and resolves industry and membership. Reused
 * for every row of a source, so admission allocates nothing per bar.
 */
export class BarRecord {
  /** Day number; NaN when the date cell was not a real date. */
  day = NaN;
  /** Id from `BarAdmission.instrumentId`: >= 0, EMPTY_CODE or CODE_NOT_ALLOWED. */
  instrument = EMPTY_CODE;
  /** The bar's own industry id (`BarAdmission.industryId`), -1 when it has none; the resolved id after `admit`. */
  industry = -1;
  /** A numeric cell held text that is not a number. */
  unparsable = false;
  open = NaN;
  high = NaN;
  low = NaN;
  close = NaN;
  volume = NaN;
  /** NaN = missing (allowed). */
  amount = NaN;
  sharesOut = NaN;
  /** 1 when the source has no factor. */
  factor = 1;
  /** After `admit`: a member of the universe on `day` (true without a membership table). */
  member = true;
}

export const EMPTY_CODE = -1;
export const CODE_NOT_ALLOWED = -2;
/** An industry name longer than the limit (never stored). */
export const INDUSTRY_NOT_ALLOWED = -2;
/** A stream bar with an empty industry string. */
const EMPTY_INDUSTRY = -3;

/**
 * The one bar admission of alphafeed (validate → apply the adjustment factor
 * → resolve industry and membership), used by the CSV, Parquet and Qlib
 * sources and by the stream's `validateBars`. It owns the instrument and
 * industry dictionaries of one load or one stream, so each distinct code is
 * checked against the pattern once and each instrument's industry spans are
 * looked up once; per bar it costs a few comparisons. A code or industry
 * that fails its limits is never stored (a 1 MB code costs one length test).
 *
 * Checks, in the order of `BAR_REJECT_REASONS`: the date is real and inside
 * [minDate, today in the exchange zone + maxDaysAhead]; the instrument is
 * non-empty, at most `maxInstrumentLength` long and matches the pattern;
 * every numeric cell is a number; prices > 0 and finite, high >= low, open
 * and close inside [low, high]; volume finite >= 0; amount and shares_out
 * (when given) >= 0; factor finite > 0; then the maxima; then an industry
 * from the bar or the table as of the date (SPEC §1). Adjusted: OHLC x
 * factor, volume / factor (SPEC §1), amount and shares_out as given.
 * Membership never refuses a bar: it selects rows later (SPEC §1).
 */
export class BarAdmission {
  readonly limits: AdmissionLimits;
  readonly timezone: string;
  readonly instruments: string[] = [];
  readonly industries: string[] = [];
  private readonly instrumentIds = new Map<string, number>();
  private readonly industryIds = new Map<string, number>();
  private readonly pattern: RegExp;
  private readonly minDay: number;
  private readonly industryTable: IndustryTable | null;
  private readonly industryResolvedLater: boolean;
  private readonly membership: MembershipTable | null;
  private readonly now: () => number;
  /** Per instrument id: industry spans from the table (undefined = not looked up, null = unknown to it). */
  private readonly tableSpans: (IndustrySpans | null | undefined)[] = [];
  private readonly tableSpanIds: Int32Array[] = [];
  private maxDayCache = NaN;
  private maxDayUntil = -Infinity;

  constructor(options: BarAdmissionOptions = {}) {
    this.limits = resolveAdmissionLimits(options.limits);
    this.timezone = options.timezone ?? 'UTC';
    this.pattern = new RegExp(this.limits.instrumentPattern);
    this.minDay = parseIsoDay(this.limits.minDate);
    this.industryTable = options.industryTable ?? null;
    this.industryResolvedLater = options.industryResolvedLater ?? false;
    this.membership = options.membership ?? null;
    this.now = options.now ?? Date.now;
    todayIn(this.timezone, 0); // an unknown zone fails here, once
  }

  /** Id of an instrument code (trimmed by the caller); EMPTY_CODE or CODE_NOT_ALLOWED when refused. */
  instrumentId(code: string): number {
    if (code.length === 0) return EMPTY_CODE;
    if (code.length > this.limits.maxInstrumentLength) return CODE_NOT_ALLOWED;
    let id = this.instrumentIds.get(code);
    if (id === undefined) {
      if (!this.pattern.test(code)) return CODE_NOT_ALLOWED;
      id = this.instruments.length;
      this.instrumentIds.set(code, id);
      this.instruments.push(code);
    }
    return id;
  }

  /** Id of an industry name; -1 when empty (none), INDUSTRY_NOT_ALLOWED when too long. */
  industryId(name: string): number {
    if (name.length === 0) return -1;
    if (name.length > this.limits.maxIndustryLength) return INDUSTRY_NOT_ALLOWED;
    let id = this.industryIds.get(name);
    if (id === undefined) {
      id = this.industries.length;
      this.industryIds.set(name, id);
      this.industries.push(name);
    }
    return id;
  }

  /** Latest admitted day: today in the exchange zone + maxDaysAhead, recomputed once a minute. */
  maxDay(): number {
    const ahead = this.limits.maxDaysAhead;
    if (ahead === null) return Infinity;
    const now = this.now();
    if (now >= this.maxDayUntil) {
      this.maxDayCache = todayIn(this.timezone, now) + ahead;
      this.maxDayUntil = now + 60_000;
    }
    return this.maxDayCache;
  }

  /**
   * Checks the record, adjusts it in place and resolves `industry` and
   * `member`. Returns the reason it is refused, or null.
   */
  admit(bar: BarRecord): BarRejectReason | null {
    const day = bar.day;
    if (!Number.isInteger(day)) return 'bad_date';
    if (day < this.minDay || day > this.maxDay()) return 'date_out_of_range';
    const id = bar.instrument;
    if (id === EMPTY_CODE) return 'bad_instrument';
    if (id < 0) return 'instrument_not_allowed';
    if (bar.unparsable) return 'bad_number';
    const bad = this.checkValues(bar);
    if (bad !== null) return bad;
    if (bar.industry === INDUSTRY_NOT_ALLOWED) return 'value_out_of_range';
    const industry = bar.industry >= 0 ? bar.industry : this.tableIndustry(id, day);
    if (industry < 0 && !(industry === -1 && this.industryResolvedLater)) return 'no_industry';
    const f = bar.factor;
    bar.open *= f;
    bar.high *= f;
    bar.low *= f;
    bar.close *= f;
    bar.volume /= f;
    bar.industry = industry;
    bar.member = this.membership === null || this.membership.isMember(this.instruments[id], day);
    return null;
  }

  /**
   * A stream bar (codec record) through `admit`: fields of the wrong type
   * are `bad_number` / `bad_date` / `bad_instrument`, null optional values
   * are missing. The record is filled and adjusted as for a file row.
   */
  admitEvent(event: IncomingBar, out: BarRecord): BarRejectReason | null {
    out.day = typeof event.date === 'number' ? event.date : NaN;
    out.instrument = typeof event.instrument === 'string' ? this.instrumentId(event.instrument) : EMPTY_CODE;
    // An empty name is no industry even where the table is consulted later (the stream's closeDates would not).
    out.industry =
      typeof event.industry === 'string'
        ? event.industry === ''
          ? EMPTY_INDUSTRY
          : this.industryId(event.industry)
        : -1;
    let unparsable = false;
    const number = (v: unknown, missing: number): number => {
      if (typeof v === 'number') return v;
      if (v === null) return missing;
      unparsable = true;
      return NaN;
    };
    out.open = number(event.open, NaN);
    out.high = number(event.high, NaN);
    out.low = number(event.low, NaN);
    out.close = number(event.close, NaN);
    out.volume = number(event.volume, NaN);
    out.amount = number(event.amount, NaN);
    out.sharesOut = number(event.shares_out, NaN);
    out.factor = number(event.factor, 1);
    out.unparsable = unparsable;
    return this.admit(out);
  }

  /** One line on a refused bar: what was wrong and the offending value. */
  describe(reason: BarRejectReason, bar: BarRecord, code: string): string {
    const what = `bar ${JSON.stringify(code.length > 64 ? `${code.slice(0, 64)}…` : code)} ${Number.isInteger(bar.day) ? formatIsoDay(bar.day) : String(bar.day)}`;
    const prices = `open ${bar.open}, high ${bar.high}, low ${bar.low}, close ${bar.close}`;
    const l = this.limits;
    const details: Record<BarRejectReason, string> = {
      missing_fields: 'fewer fields than the header',
      bad_date: 'the date is not a real calendar date',
      date_out_of_range: `the date is outside [${l.minDate}, today in ${this.timezone} + ${l.maxDaysAhead} day(s)] (data.admission)`,
      bad_instrument: 'the instrument code is empty',
      instrument_not_allowed: `the instrument code (length ${code.length}) is longer than ${l.maxInstrumentLength} or does not match ${l.instrumentPattern} (data.admission)`,
      bad_number: 'a numeric field holds something that is not a number',
      price_not_positive_finite: `a price is not a finite number > 0 (${prices})`,
      high_below_low: `high ${bar.high} < low ${bar.low}`,
      ohlc_inconsistent: `open ${bar.open} or close ${bar.close} outside [low ${bar.low}, high ${bar.high}]`,
      volume_negative_or_nan: `volume ${bar.volume} is not a finite number >= 0`,
      amount_or_shares_out_negative: `amount ${bar.amount} or shares_out ${bar.sharesOut} is negative or infinite`,
      factor_not_positive_finite: `factor ${bar.factor} is not a finite number > 0`,
      value_out_of_range:
        `a value is above its limit (${prices}, volume ${bar.volume}, amount ${bar.amount}, shares_out ${bar.sharesOut}, ` +
        `factor ${bar.factor}; limits price ${l.maxPrice}, volume ${l.maxVolume}, amount ${l.maxAmount}, shares_out ${l.maxSharesOut}, ` +
        `factor [${l.minFactor}, ${l.maxFactor}], industry name ${l.maxIndustryLength} characters; data.admission)`,
      no_industry: 'no industry on the bar and none in the industry table as of its date',
      duplicate_key: 'a later row of an already accepted (date, instrument)',
    };
    return `${what}: ${details[reason]}`;
  }

  private checkValues(bar: BarRecord): BarRejectReason | null {
    const { open, high, low, close, volume, amount, sharesOut, factor } = bar;
    if (
      !(open > 0 && high > 0 && low > 0 && close > 0) ||
      open === Infinity ||
      high === Infinity ||
      low === Infinity ||
      close === Infinity
    ) {
      return 'price_not_positive_finite';
    }
    if (high < low) return 'high_below_low';
    if (high < open || high < close || low > open || low > close) return 'ohlc_inconsistent';
    if (!(volume >= 0) || volume === Infinity) return 'volume_negative_or_nan';
    if (amount < 0 || sharesOut < 0 || amount === Infinity || sharesOut === Infinity)
      return 'amount_or_shares_out_negative';
    if (!(factor > 0) || factor === Infinity) return 'factor_not_positive_finite';
    const l = this.limits;
    if (
      high > l.maxPrice ||
      volume > l.maxVolume ||
      amount > l.maxAmount ||
      sharesOut > l.maxSharesOut ||
      factor < l.minFactor ||
      factor > l.maxFactor
    ) {
      return 'value_out_of_range';
    }
    return null;
  }

  /** Industry id from the table as of `day`, -1 when it has none. Spans are looked up once per instrument. */
  private tableIndustry(id: number, day: number): number {
    const table = this.industryTable;
    if (table === null) return -1;
    let spans = this.tableSpans[id];
    if (spans === undefined) {
      spans = table.spans(this.instruments[id]) ?? null;
      this.tableSpans[id] = spans;
      if (spans !== null)
        this.tableSpanIds[id] = Int32Array.from(spans.industries, (s) => this.industryId(s));
    }
    if (spans === null) return -1;
    const k = spans.starts.length === 1 && spans.starts[0] === -Infinity ? 0 : findSpan(spans, day);
    return k < 0 ? -1 : this.tableSpanIds[id][k];
  }
}

/** Fills defaults and validates once (cross-field checks included). */
export function resolveAdmissionLimits(limits: Partial<AdmissionLimits> = {}): AdmissionLimits {
  const out: AdmissionLimits = { ...DEFAULT_ADMISSION_LIMITS, ...limits };
  if (Number.isNaN(parseIsoDay(out.minDate)))
    throw new InputError(`admission minDate "${out.minDate}" is not a YYYY-MM-DD date`);
  if (out.maxDaysAhead !== null && !(Number.isInteger(out.maxDaysAhead) && out.maxDaysAhead >= 0))
    throw new InputError(`admission maxDaysAhead must be an integer >= 0 or null, got ${out.maxDaysAhead}`);
  try {
    new RegExp(out.instrumentPattern);
  } catch (err) {
    throw new InputError(
      `admission instrumentPattern ${out.instrumentPattern} is not a regular expression: ${(err as Error).message}`,
    );
  }
  for (const key of ['maxInstrumentLength', 'maxIndustryLength'] as const) {
    if (!(Number.isInteger(out[key]) && out[key] >= 1))
      throw new InputError(`admission ${key} must be an integer >= 1, got ${out[key]}`);
  }
  for (const key of [
    'maxPrice',
    'maxVolume',
    'maxAmount',
    'maxSharesOut',
    'minFactor',
    'maxFactor',
  ] as const) {
    if (!(out[key] > 0)) throw new InputError(`admission ${key} must be a number > 0, got ${out[key]}`);
  }
  if (out.minFactor > out.maxFactor)
    throw new InputError(`admission minFactor ${out.minFactor} is above maxFactor ${out.maxFactor}`);
  return Object.freeze(out);
}

/** Day number of the calendar date at `ms` in time zone `timezone`. */
export function todayIn(timezone: string, ms: number): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(ms);
  } catch (err) {
    throw new InputError(`unknown time zone "${timezone}"; use an IANA zone such as America/New_York`, {
      cause: err,
    });
  }
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return parseIsoDay(`${get('year')}-${get('month')}-${get('day')}`);
}
