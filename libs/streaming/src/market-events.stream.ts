import type { Observable } from 'rxjs';
import type { BusPort, SubscribeOptions } from '@alphafeed/bus';
import type { EventCodecs } from '@alphafeed/codec';
import type { RegionConfig } from '@alphafeed/config';
import {
  decodeOrDeadLetter,
  fromSubscription,
  marketEventDecoder,
  unbatch,
  validateBars,
} from '@alphafeed/pipeline';
import type { Checkpoint, MarketEvent, Routed } from '@alphafeed/pipeline';
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
 * checkpoint after it, decoded (undecodable → dead letter) and validated
 * (invalid bars, unknown regions → dead letter).
 */
export function decodedMarketEvents(
  o: MarketEventsSource,
  subscription: Pick<SubscribeOptions, 'groupId' | 'topics' | 'exclusive'> & {
    readonly signal?: AbortSignal;
  },
): Observable<Routed<MarketEvent> | Checkpoint> {
  const topics = o.config.streaming.kafka.topics;
  return fromSubscription(o.bus, { ...subscription, fromBeginning: true, logger: o.logger }).pipe(
    unbatch(),
    decodeOrDeadLetter(
      marketEventDecoder({
        decodeBar: (value) => o.codecs.bar.decode(value),
        decodeEod: (value) => o.codecs.endOfDay.decode(value),
        topics: { bars: topics.bars, eod: topics.eod },
      }),
    ),
    validateBars({ regions: [o.config.region] }),
  );
}
