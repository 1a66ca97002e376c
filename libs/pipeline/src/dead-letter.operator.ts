import { EMPTY, concat, concatMap, defer, from, ignoreElements, map, of } from 'rxjs';
import type { Observable, OperatorFunction } from 'rxjs';
import type { IncomingMessage } from '@alphafeed/bus';
import { AlphafeedError } from '@alphafeed/core';
import { Checkpoint, isCheckpoint } from './checkpoint';
import type { DeadLetter, Routed } from './events';

export interface DecodeOptions {
  /**
   * Largest message value decoded (bytes); a longer one is a dead letter
   * `too_large` / `MESSAGE_TOO_LARGE` and is never decoded (config
   * `streaming.max_message_bytes`, default 64 KiB). Default: no limit.
   */
  readonly maxBytes?: number;
}

/**
 * Decodes each bus message; a message that throws while decoding becomes a
 * dead letter (`undecodable`, code taken from the error when it is an
 * AlphafeedError, else `DECODE_FAILED`) carrying the raw message, and the
 * stream goes on. A message over `maxBytes` is refused before decoding
 * (`too_large`). Checkpoints pass through. The decoded value keeps its source
 * message so later stages can still dead-letter the original bytes.
 */
export function decodeOrDeadLetter<T>(
  decode: (message: IncomingMessage) => T,
  options: DecodeOptions = {},
): OperatorFunction<IncomingMessage | Checkpoint, Routed<T> | Checkpoint> {
  const maxBytes = options.maxBytes ?? Infinity;
  return map((message) => {
    if (isCheckpoint(message)) return message;
    if (message.value.length > maxBytes) {
      const detail = `${message.topic}[${message.partition}]@${message.offset}: the message has ${message.value.length} bytes, more than the limit of ${maxBytes} (streaming.max_message_bytes)`;
      return {
        kind: 'dead',
        letter: { reason: 'too_large', code: 'MESSAGE_TOO_LARGE', detail, source: message },
      };
    }
    try {
      return { kind: 'ok', value: decode(message), source: message };
    } catch (error) {
      const code = error instanceof AlphafeedError ? error.code : 'DECODE_FAILED';
      const detail = `cannot decode ${message.topic}[${message.partition}]@${message.offset}: ${error instanceof Error ? error.message : String(error)}`;
      return { kind: 'dead', letter: { reason: 'undecodable', code, detail, source: message } };
    }
  });
}

export interface RouteDeadLettersOptions {
  /** Publish early once this many letters are waiting (default 1000), bounding memory without checkpoints. */
  readonly maxBuffered?: number;
}

/**
 * The dead-letter side sink: unwraps `ok` values, collects dead letters and
 * publishes them with `publish` (typically an encoder + `bus.publish` to the
 * dead-letter topic) before forwarding the next checkpoint, so a batch is never
 * acknowledged before its dead letters are durable. Also publishes on
 * completion and whenever `maxBuffered` letters wait. Order is kept
 * (`concatMap`): values behind a pending publish wait for it. A rejected
 * publish errors the stream (no ack, the batch comes again: at-least-once, so
 * a dead letter may be published twice).
 */
export function routeDeadLetters<T>(
  publish: (letters: readonly DeadLetter[]) => Promise<void> | void,
  options: RouteDeadLettersOptions = {},
): OperatorFunction<Routed<T> | Checkpoint, T | Checkpoint> {
  const maxBuffered = options.maxBuffered ?? 1000;
  return (source) =>
    defer(() => {
      let buffered: DeadLetter[] = [];
      const flush = (): Observable<never> => {
        if (buffered.length === 0) return EMPTY;
        const letters = buffered;
        buffered = [];
        return from(Promise.resolve(publish(letters))).pipe(ignoreElements());
      };
      return concat(
        source.pipe(
          concatMap((input): Observable<T | Checkpoint> => {
            if (isCheckpoint(input)) return concat(defer(flush), of(input));
            if (input.kind === 'ok') return of(input.value);
            buffered.push(input.letter);
            return buffered.length >= maxBuffered ? defer(flush) : EMPTY;
          }),
        ),
        defer(flush),
      );
    });
}
