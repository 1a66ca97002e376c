import type { IncomingMessage } from '@alphafeed/bus';
import { TOPICS } from '@alphafeed/codec';
import { PipelineError } from './errors';
import type { BarEvent, EndOfDayEvent, MarketEvent } from './events';

/** Topic names of the market feed (from @alphafeed/codec); override for tests or versioned topics. */
export const DEFAULT_MARKET_TOPICS: { readonly bars: string; readonly eod: string } = {
  bars: TOPICS.bars,
  eod: TOPICS.endOfDay,
};

export interface MarketEventDecoderOptions {
  readonly decodeBar: (value: Buffer) => BarEvent;
  readonly decodeEod: (value: Buffer) => EndOfDayEvent;
  readonly topics?: { readonly bars: string; readonly eod: string };
}

/**
 * One decoder for a subscription to both market topics: picks the record
 * decoder by topic. A message from any other topic throws `UNKNOWN_TOPIC`,
 * which `decodeOrDeadLetter` turns into an `undecodable` dead letter.
 */
export function marketEventDecoder(
  options: MarketEventDecoderOptions,
): (message: IncomingMessage) => MarketEvent {
  const topics = options.topics ?? DEFAULT_MARKET_TOPICS;
  const { decodeBar, decodeEod } = options;
  return (message) => {
    if (message.topic === topics.bars) return { kind: 'bar', bar: decodeBar(message.value) };
    if (message.topic === topics.eod) return { kind: 'eod', eod: decodeEod(message.value) };
    throw new PipelineError(
      'UNKNOWN_TOPIC',
      `no market-event decoder for topic ${JSON.stringify(message.topic)}; expected ${topics.bars} or ${topics.eod}`,
    );
  };
}
