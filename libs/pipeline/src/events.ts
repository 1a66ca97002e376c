/**
 * The event shapes the pipeline works on. They mirror the Avro records of
 * `schemas/` field for field (snake_case, ISO dates), so a decoder from
 * @alphafeed/codec can hand its output straight in; the pipeline itself never
 * depends on codec internals (decoders and encoders are injected).
 */
import type { IncomingMessage } from '@alphafeed/bus';

/** One daily bar, adjusted (SPEC §1). Key on the bus: the instrument. */
export interface BarEvent {
  readonly region: string;
  /** ISO `YYYY-MM-DD`. */
  readonly date: string;
  readonly instrument: string;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** Traded value; null when the source has none. */
  readonly amount: number | null;
  /** Shares outstanding; null when the source has none. */
  readonly shares_out: number | null;
  readonly industry: string;
}

/** End-of-day marker: the date is complete once `bar_count` distinct bars have arrived. Key: the region. */
export interface EndOfDayEvent {
  readonly region: string;
  readonly date: string;
  readonly bar_count: number;
}

/** What `closeDates` consumes: bars and markers, tagged. */
export type MarketEvent = { readonly kind: 'bar'; readonly bar: BarEvent } | { readonly kind: 'eod'; readonly eod: EndOfDayEvent };

/**
 * Why a message went to the dead-letter topic. `reason` is the coarse class
 * (what an operator filters on), `code` in `DeadLetter` the precise check.
 */
export type DeadLetterReason =
  | 'undecodable'
  | 'invalid_bar'
  | 'invalid_eod'
  | 'unknown_region'
  | 'restatement_too_old'
  | 'late_date';

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
