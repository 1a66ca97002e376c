import { Observable, concatMap, from } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type {
  BusPort,
  IncomingMessage,
  SubscribeOptions,
  Subscription as BusSubscription,
} from '@alphafeed/bus';
import { Checkpoint } from './checkpoint';
import { PipelineError } from './errors';
import { defaultPipelineLogger, type PipelineLogger } from './logger';

/** One batch handed over by the bus, with the key to let it commit. */
export interface MessageBatch {
  readonly messages: readonly IncomingMessage[];
  /**
   * Resolves the bus handler's promise, so the adapter commits the batch's
   * offsets and delivers the next batch. Call it only once everything the
   * batch produced is stored (or use `unbatch()` + `ackAfter()`). Idempotent.
   */
  ack(): void;
}

export interface FromSubscriptionOptions extends SubscribeOptions {
  /** Where a failing `Subscription.close()` on teardown is reported. */
  readonly logger?: PipelineLogger;
  /**
   * Graceful stop: on abort the bus subscription is closed (no new batch;
   * the batch in flight finishes, is acknowledged and committed as usual) and
   * the Observable completes once the close resolved.
   */
  readonly signal?: AbortSignal;
}

/**
 * The bus subscription as a cold Observable of batches. Subscribing subscribes
 * to the bus; each batch is emitted with an `ack()` that resolves the bus
 * handler's promise. The adapter commits a batch's offsets only after that
 * promise resolves and does not hand over the next batch of the partition
 * before, so this is back-pressure by construction: at most one unacknowledged
 * batch per partition is in the pipeline.
 *
 * Completes only after a graceful stop through `signal`. Unsubscribing rejects the handler promise of
 * every batch not yet acknowledged (code `UNSUBSCRIBED`, so the adapter commits
 * nothing the pipeline did not finish; those messages are delivered again to
 * the next consumer) and closes the bus subscription. A failing
 * `bus.subscribe` errors the Observable.
 */
export function fromSubscription(bus: BusPort, options: FromSubscriptionOptions): Observable<MessageBatch> {
  const { logger = defaultPipelineLogger(), signal, ...subscribeOptions } = options;
  return new Observable<MessageBatch>((subscriber) => {
    let stopped = false;
    /** Set on a graceful stop: no batch is taken any more, the one in flight goes on. */
    let draining = false;
    let busSubscription: BusSubscription | null = null;
    /** Rejecters of handler promises still waiting for an ack. */
    const inFlight = new Set<(error: Error) => void>();

    const unsubscribed = (): PipelineError =>
      new PipelineError(
        'UNSUBSCRIBED',
        'the pipeline was unsubscribed before this batch was acknowledged; it will be delivered again',
        {
          retriable: true,
        },
      );

    const closeBus = (subscription: BusSubscription): void => {
      subscription.close().catch((error: unknown) => {
        logger.warn('fromSubscription: closing the bus subscription failed', {
          groupId: options.groupId,
          error: String(error),
        });
      });
    };

    bus
      .subscribe(subscribeOptions, (messages) => {
        if (stopped || draining) return Promise.reject(unsubscribed());
        return new Promise<void>((resolve, reject) => {
          let settled = false;
          const fail = (error: Error): void => {
            if (settled) return;
            settled = true;
            inFlight.delete(fail);
            reject(error);
          };
          inFlight.add(fail);
          subscriber.next({
            messages,
            ack() {
              if (settled) return;
              settled = true;
              inFlight.delete(fail);
              resolve();
            },
          });
        });
      })
      .then(
        (subscription) => {
          if (stopped) closeBus(subscription);
          else {
            busSubscription = subscription;
            if (draining) drain();
          }
        },
        (error: unknown) => subscriber.error(error),
      );

    const drain = (): void => {
      draining = true;
      const subscription = busSubscription;
      if (subscription === null) return; // drained as soon as subscribe resolves
      busSubscription = null;
      subscription.close().then(
        () => subscriber.complete(),
        (error: unknown) => subscriber.error(error),
      );
    };
    const onAbort = (): void => drain();
    if (signal?.aborted === true) draining = true;
    else signal?.addEventListener('abort', onAbort, { once: true });

    return () => {
      signal?.removeEventListener('abort', onAbort);
      stopped = true;
      for (const fail of [...inFlight]) fail(unsubscribed());
      if (busSubscription !== null) closeBus(busSubscription);
      busSubscription = null;
    };
  });
}

/**
 * Flattens batches into their messages followed by one `Checkpoint` carrying
 * the batch's ack, so that per-message operators can run on the messages and
 * `ackAfter()` can acknowledge the batch once everything before it is handled.
 */
export function unbatch(): OperatorFunction<MessageBatch, IncomingMessage | Checkpoint> {
  return concatMap((batch) => from([...batch.messages, new Checkpoint(() => batch.ack())]));
}
