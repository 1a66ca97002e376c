import { concatMap, from, map, of } from 'rxjs';
import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import type { BusPort, SubscribeOptions } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import { admissionOptions } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import {
  decodeOrDeadLetter,
  fromSubscription,
  marketEventDecoder,
  unbatch,
  validateBars,
} from '@alphafeed/pipeline';
import type { Checkpoint, MarketEvent, MessageBatch, Routed } from '@alphafeed/pipeline';
import type { Logger } from '@alphafeed/ops';

export interface MarketEventsSource {
  readonly bus: BusPort;
  readonly codecs: EventCodecs;
  readonly config: RegionConfig;
  readonly logger: Logger;
}

/**
 * The head every consumer of market data shares: the bus subscription (from
 * the beginning for a new group), one message at a time with the batch's
 * checkpoint after it, refused when over `streaming.max_message_bytes`
 * (`too_large`), decoded (`undecodable`) and admitted by the one bar
 * admission of @alphafeed/data with the config's `data.admission` bounds
 * (`invalid_bar` / `invalid_eod` / `unknown_region` with the shared reject
 * vocabulary). Valid bars leave adjusted (the factor is applied here, once).
 *
 * The lower date bound is at least 1970-01-01: the store keys every row by a
 * designated timestamp, and QuestDB refuses timestamps before the epoch (a
 * bar it refuses would stop the consumer).
 */
export function decodedMarketEvents(
  o: MarketEventsSource,
  subscription: Pick<SubscribeOptions, 'groupId' | 'topics' | 'exclusive' | 'onAssignment'> & {
    readonly signal?: AbortSignal;
    /**
     * Asked before each batch: a promise holds the batch back until it
     * resolves (a closing member's resume), null lets it through at once.
     */
    readonly gate?: () => Promise<void> | null;
  },
): Observable<Routed<MarketEvent> | Checkpoint> {
  const topics = o.config.streaming.kafka.topics;
  const { gate, ...options } = subscription;
  const batches = fromSubscription(o.bus, { ...options, fromBeginning: true, logger: o.logger });
  return (gate === undefined ? batches : batches.pipe(gated(gate))).pipe(
    unbatch(),
    decodeOrDeadLetter(
      marketEventDecoder({
        decodeBar: (value) => o.codecs.bar.decode(value),
        decodeEod: (value) => o.codecs.endOfDay.decode(value),
        topics: { bars: topics.bars, eod: topics.eod },
      }),
      { maxBytes: o.config.streaming.max_message_bytes },
    ),
    validateBars({ regions: [o.config.region], admission: streamAdmission(o.config) }),
  );
}

const EPOCH = '1970-01-01';

/** The config's admission bounds, the lower date bound raised to the epoch (the stores' timestamps start there). */
export function streamAdmission(config: RegionConfig): ReturnType<typeof admissionOptions> {
  const options = admissionOptions(config);
  const minDate = options.limits.minDate < EPOCH ? EPOCH : options.limits.minDate;
  return { ...options, limits: { ...options.limits, minDate } };
}

/** Holds each batch back until `gate()` (when a promise) resolved; its rejection errors the stream. */
function gated(gate: () => Promise<void> | null): MonoTypeOperatorFunction<MessageBatch> {
  return concatMap((batch) => {
    const wait = gate();
    return wait === null ? of(batch) : from(wait).pipe(map(() => batch));
  });
}
