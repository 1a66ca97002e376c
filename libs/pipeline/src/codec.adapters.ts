/**
 * Thin conveniences wiring the pipeline to @alphafeed/codec's Avro codecs.
 * The operators themselves take injected functions; these only build them.
 */
import type { IncomingMessage, OutgoingMessage } from '@alphafeed/bus';
import { TOPICS, deadLetterTopic } from '@alphafeed/codec';
import type { DeadLetterEvent, EventCodecs } from '@alphafeed/codec';
import type { DeadLetter, MarketEvent } from './events';
import { marketEventDecoder } from './market-event.decoder';
import type { PublishSink, ReplayBarsOptions } from './replay';

/** Decoder for a subscription to `bars.daily.v1` + `bars.eod.v1`, for `decodeOrDeadLetter`. */
export function codecMarketEventDecoder(
  codecs: Pick<EventCodecs, 'bar' | 'endOfDay'>,
): (message: IncomingMessage) => MarketEvent {
  return marketEventDecoder({
    decodeBar: (value) => codecs.bar.decode(value),
    decodeEod: (value) => codecs.endOfDay.decode(value),
  });
}

/** `encodeBar` / `encodeEod` for `replayBars`, Avro single-object encoded. */
export function codecReplayEncoders(
  codecs: Pick<EventCodecs, 'bar' | 'endOfDay'>,
): Pick<ReplayBarsOptions, 'encodeBar' | 'encodeEod'> {
  return { encodeBar: (bar) => codecs.bar.encode(bar), encodeEod: (eod) => codecs.endOfDay.encode(eod) };
}

/**
 * The DeadLetter record of a letter: original topic, partition, offset, key and
 * bytes; `reason` is `<reason>: <detail>` (the class first, so it can be
 * filtered on), `error_code` the stable code. A letter without a source
 * message (a stream not fed by the bus) gets an empty payload and offset -1.
 */
export function toDeadLetterEvent(letter: DeadLetter, service: string, failedAt: number): DeadLetterEvent {
  const source = letter.source;
  return {
    source_topic: source?.topic ?? '',
    partition: source?.partition ?? -1,
    offset: source === undefined ? -1 : Number(source.offset),
    key: source?.key ?? null,
    payload: source?.value ?? Buffer.alloc(0),
    reason: `${letter.reason}: ${letter.detail}`,
    error_code: letter.code,
    failed_at: failedAt,
    service,
  };
}

export interface DeadLetterPublisherOptions {
  readonly sink: PublishSink;
  readonly codecs: Pick<EventCodecs, 'deadLetter'>;
  /** Service name written in each record. */
  readonly service: string;
  /** Topic for letters without a source message (default `bars.daily.v1.dlq`). */
  readonly fallbackTopic?: string;
  /** Clock for `failed_at` (default Date.now); inject for reproducible tests. */
  readonly now?: () => number;
}

/**
 * The `publish` function for `routeDeadLetters`: encodes each letter and
 * publishes it to `<source topic>.dlq`, keyed by the original key, one
 * publish call per dead-letter topic, resolving when the broker acknowledged.
 */
export function deadLetterPublisher(
  options: DeadLetterPublisherOptions,
): (letters: readonly DeadLetter[]) => Promise<void> {
  const { sink, codecs, service } = options;
  const fallback = options.fallbackTopic ?? TOPICS.barsDlq;
  const now = options.now ?? Date.now;
  return async (letters) => {
    const failedAt = now();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const letter of letters) {
      const topic = letter.source === undefined ? fallback : deadLetterTopic(letter.source.topic);
      let messages = byTopic.get(topic);
      if (messages === undefined) byTopic.set(topic, (messages = []));
      messages.push({
        key: letter.source?.key ?? null,
        value: codecs.deadLetter.encode(toDeadLetterEvent(letter, service, failedAt)),
      });
    }
    for (const [topic, messages] of byTopic) await sink.publish(topic, messages);
  };
}
