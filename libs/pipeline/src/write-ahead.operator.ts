import { EMPTY, concat, concatMap, defer, from, ignoreElements, of } from 'rxjs';
import type { Observable, OperatorFunction } from 'rxjs';
import { Checkpoint, isCheckpoint } from './checkpoint';
import type { Routed } from './events';

export interface WriteAheadOptions {
  /** Write early once this many elements wait (default 10,000), bounding memory without checkpoints. */
  readonly maxBuffered?: number;
}

/**
 * Makes the events of each bus batch durable before the batch can be
 * acknowledged: collects the elements up to the next checkpoint, calls
 * `write` with the `ok` values (e.g. an upsert of the raw bars and markers
 * keyed by (region, date, instrument)), and only when it resolved emits the
 * collected elements, then the checkpoint. Dead letters wait with them, so
 * order is kept.
 *
 * Why: the date closer holds a date open until its marker and last
 * bar arrive, possibly many batches later, but the bus commits a batch as
 * soon as it is acknowledged and cannot hold a batch without stalling its
 * partition (the next batch, which may carry the missing bars, is not
 * delivered before). So the open-date state must be recoverable from the
 * store: after a restart, the open dates are read back from what was
 * written. Cost: one `write` per batch; latency of a batch grows by the
 * write.
 */
export function writeAhead<T>(
  write: (values: readonly T[]) => Promise<void> | void,
  options: WriteAheadOptions = {},
): OperatorFunction<Routed<T> | Checkpoint, Routed<T> | Checkpoint> {
  const maxBuffered = options.maxBuffered ?? 10_000;
  return (source) =>
    defer(() => {
      let held: Routed<T>[] = [];
      let values: T[] = [];
      const flush = (): Observable<Routed<T>> => {
        if (held.length === 0) return EMPTY;
        const out = held;
        const batch = values;
        held = [];
        values = [];
        const written =
          batch.length === 0 ? EMPTY : from(Promise.resolve(write(batch))).pipe(ignoreElements());
        return concat(written, from(out));
      };
      return concat(
        source.pipe(
          concatMap((input): Observable<Routed<T> | Checkpoint> => {
            if (isCheckpoint(input)) return concat(defer(flush), of(input));
            held.push(input);
            if (input.kind === 'ok') values.push(input.value);
            return held.length >= maxBuffered ? defer(flush) : EMPTY;
          }),
        ),
        defer(flush),
      );
    });
}
