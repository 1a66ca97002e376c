import { EMPTY, concatMap, defer } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import { Checkpoint, isCheckpoint } from './checkpoint';

/**
 * The commit-after-store-write rule as an operator: runs `handle` (the store
 * write, the publish) on each value one at a time, in order, and acknowledges
 * a checkpoint only when every value before it has been handled. Emits each
 * value after its handler resolved. A rejected handler errors the stream and
 * the checkpoints behind it are never acknowledged, so the bus delivers the
 * batch again.
 */
export function ackAfter<T>(handle: (value: T) => Promise<void> | void): OperatorFunction<T | Checkpoint, T> {
  return concatMap((input) => {
    // defer: act when concatMap gets to the element, not when it is queued.
    if (isCheckpoint(input)) {
      return defer(() => {
        input.ack();
        return EMPTY;
      });
    }
    return defer(async () => {
      await handle(input);
      return input;
    });
  });
}
