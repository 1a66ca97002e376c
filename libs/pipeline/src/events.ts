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
 * an adjustment `factor` (SPEC §1); the stream applies it when it assembles a date.
 */
export type { BarEvent, EndOfDayEvent } from '@alphafeed/codec';

/** Bars and markers, tagged: what the market topics carry. */
export type MarketEvent =
  { readonly kind: 'bar'; readonly bar: BarEvent } | { readonly kind: 'eod'; readonly eod: EndOfDayEvent };

/**
 * Why a message went to the dead-letter topic. `reason` is the coarse class
 * (what an operator filters on), `code` in `DeadLetter` the precise check.
 */
export type DeadLetterReason =
  'undecodable' | 'too_large' | 'invalid_bar' | 'invalid_eod' | 'unknown_region' | 'late_date';

export interface DeadLetter {
  readonly reason: DeadLetterReason;
  /** Stable machine code, e.g. `HIGH_BELOW_LOW`, `DECODE_FAILED`, `LATE_DATE`. */
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
