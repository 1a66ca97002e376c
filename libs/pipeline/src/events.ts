/**
 * The event shapes the pipeline works on. Bars and markers are the records of
 * `schemas/` as @alphafeed/codec types them, so a decoder's output goes in
 * as is; decoders and encoders themselves are injected, so the operators never
 * depend on how messages are framed.
 */
import type { IncomingMessage } from '@alphafeed/bus';
import type { BarEvent, EndOfDayEvent } from '@alphafeed/codec';

/**
 * Bars and end-of-day markers are the codec's records as decoded (snake_case,
 * dates as day numbers, optional values null). A bar may carry raw prices and
 * an adjustment `factor` (SPEC §1); `closeDates` applies it.
 */
export type { BarEvent, EndOfDayEvent } from '@alphafeed/codec';

/** What `closeDates` consumes: bars and markers, tagged. */
export type MarketEvent =
  { readonly kind: 'bar'; readonly bar: BarEvent } | { readonly kind: 'eod'; readonly eod: EndOfDayEvent };

/**
 * Why a message went to the dead-letter topic. `reason` is the coarse class
 * (what an operator filters on), `code` in `DeadLetter` the precise check.
 */
export type DeadLetterReason =
  'undecodable' | 'invalid_bar' | 'invalid_eod' | 'unknown_region' | 'restatement_too_old' | 'late_date';

export interface DeadLetter {
  readonly reason: DeadLetterReason;
  /** Stable machine code, e.g. `HIGH_BELOW_LOW`, `DECODE_FAILED`, `RESTATEMENT_TOO_OLD`. */
  readonly code: string;
  /** Human explanation with the offending value. */
  readonly detail: string;
  /** The bus message it came from, raw bytes included, when there is one. */
  readonly source?: IncomingMessage;
  /** The decoded event, when decoding succeeded. */
  readonly event?: MarketEvent;
}

/**
 * The result of a routing step: a value to go on with, or a dead letter.
 * `source` travels with the value so that a later stage can still dead-letter
 * the original bytes.
 */
export type Routed<T> =
  | { readonly kind: 'ok'; readonly value: T; readonly source?: IncomingMessage }
  | { readonly kind: 'dead'; readonly letter: DeadLetter };

/**
 * One closed date of one region in columnar form, rows sorted by instrument
 * code (so the same bars give the same arrays whatever their arrival order).
 */
export interface ClosedDate {
  readonly region: string;
  /** ISO `YYYY-MM-DD`. */
  readonly date: string;
  /** Day number (days since 1970-01-01 UTC), as in @alphafeed/core. */
  readonly day: number;
  /** 0 for the first emission of the date, +1 for each restatement. */
  readonly revision: number;
  /** `revision > 0`: the consumer recomputes and re-publishes this date. */
  readonly restated: boolean;
  /** True when the marker's `bar_count` was not reached (timeout, or no marker at all). */
  readonly timedOut: boolean;
  /** `bar_count` of the marker, null when the date closed without one. */
  readonly expectedCount: number | null;
  readonly length: number;
  /** Instrument code of each row, sorted ascending (code-unit order). */
  readonly instruments: readonly string[];
  /** Industry dictionary, sorted; `industry[i]` indexes it. */
  readonly industries: readonly string[];
  readonly industry: Int32Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  /** NaN where the bar carried no amount. */
  readonly amount: Float64Array;
  /** NaN where the bar carried no shares_out. */
  readonly sharesOut: Float64Array;
}
