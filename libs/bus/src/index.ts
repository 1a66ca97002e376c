export type { BusPort, OutgoingMessage, IncomingMessage, TopicSpec, SubscribeOptions, BatchHandler, Subscription } from './bus.port';
