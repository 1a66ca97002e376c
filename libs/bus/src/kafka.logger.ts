import { logLevel, type logCreator } from 'kafkajs';
import type { KafkaLogSink, ResolvedKafkaBusOptions } from './kafka.options';

const LEVELS: Record<ResolvedKafkaBusOptions['logLevel'], logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

const NAMES: Partial<Record<logLevel, 'error' | 'warn' | 'info' | 'debug'>> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * Errors kafkajs logs on its way through routine events it then handles itself
 * (a rebalance, a member re-joining, a retried request, a consumer we stop on
 * purpose). They are not actionable, so they never reach the sink; real
 * failures still surface as rejected calls and through `onError`.
 */
const ROUTINE = [
  // A protocol error in a response; the request's caller retries or surfaces it.
  /^Response \w+\(key: \d+, version: \d+\)$/,
  /rebalanc/i,
  /re-joining/i,
  /Restarting the consumer/i,
  /Crash: KafkaJSNumberOfRetriesExceeded/i,
  // A fresh broker creating __consumer_offsets; the consumer restarts by itself.
  /coordinator is loading/i,
  // A transaction begun right after the previous commit, while the coordinator finishes it: retried.
  /another concurrent operation on the same transaction/i,
  /Connection error/i,
  /Failed to connect to seed broker/i,
  /ECONNREFUSED/i,
];

/** kafkajs logging, filtered and routed to one sink instead of JSON lines on stdout. */
export function quietLogCreator(
  level: ResolvedKafkaBusOptions['logLevel'],
  sink: KafkaLogSink,
): { logLevel: logLevel; logCreator: logCreator } {
  const creator: logCreator = () => (entry) => {
    const name = NAMES[entry.level];
    if (name === undefined) return;
    const message = entry.log.message;
    if (name === 'error' && ROUTINE.some((r) => r.test(message))) return;
    sink({ level: name, namespace: entry.namespace, message });
  };
  return { logLevel: LEVELS[level], logCreator: creator };
}
