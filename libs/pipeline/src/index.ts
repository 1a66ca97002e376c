export { Checkpoint, isCheckpoint } from './checkpoint';
export { fromSubscription, unbatch } from './from-subscription';
export type { MessageBatch, FromSubscriptionOptions } from './from-subscription';
export { decodeOrDeadLetter, routeDeadLetters } from './dead-letter.operator';
export type { DecodeOptions } from './dead-letter.operator';
export type { RouteDeadLettersOptions } from './dead-letter.operator';
export { validateBars, checkBar, checkEod } from './validate-bars.operator';
export type { ValidateBarsOptions, Violation } from './validate-bars.operator';
export { ackAfter } from './ack-after.operator';
export { writeAhead } from './write-ahead.operator';
export type { WriteAheadOptions } from './write-ahead.operator';
export { marketEventDecoder, DEFAULT_MARKET_TOPICS } from './market-event.decoder';
export type { MarketEventDecoderOptions } from './market-event.decoder';
export { replayBars, DEFAULT_REPLAY_BATCH_SIZE } from './replay';
export type { ReplayBarsOptions, ReplayResult, ReplayProgress, PublishSink } from './replay';
export { readReplayPosition, writeReplayPosition } from './replay-position';
export type { ReplayPosition } from './replay-position';
export { PipelineError } from './errors';
export { defaultPipelineLogger } from './logger';
export type { PipelineLogger } from './logger';
export type { BarEvent, EndOfDayEvent, MarketEvent, DeadLetter, DeadLetterReason, Routed } from './events';
export {
  codecMarketEventDecoder,
  codecReplayEncoders,
  toDeadLetterEvent,
  deadLetterPublisher,
} from './codec.adapters';
export type { DeadLetterPublisherOptions } from './codec.adapters';
