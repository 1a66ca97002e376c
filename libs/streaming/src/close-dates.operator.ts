import { Observable, asyncScheduler, map } from 'rxjs';
import type { OperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import { formatIsoDay } from '@alphafeed/core';
import type { Logger } from '@alphafeed/ops';
import { isCheckpoint } from '@alphafeed/pipeline';
import type { Checkpoint, DeadLetter, MarketEvent, Routed } from '@alphafeed/pipeline';
import type { ClosedDate } from './closed-date';
import type { DateCloser } from './date-closer';

/**
 * Dead-letters events the closer refuses (`late_date`) before they reach the
 * archive (`writeAhead` comes after this). Checkpoints and dead letters pass.
 */
export function admitEvents(
  closer: DateCloser,
): OperatorFunction<Routed<MarketEvent> | Checkpoint, Routed<MarketEvent> | Checkpoint> {
  return map((input) => {
    if (isCheckpoint(input) || input.kind === 'dead') return input;
    const violation = closer.admit(input.value);
    if (violation === null) return input;
    const letter: DeadLetter = { ...violation, source: input.source, event: input.value };
    return { kind: 'dead', letter };
  });
}

export interface CloseDatesOptions {
  /** Timer source (tests may pass a VirtualTimeScheduler). Default asyncScheduler. */
  readonly scheduler?: SchedulerLike;
  /**
   * What completion does with open dates: `true` (finite sources) closes
   * them in order, the incomplete ones flagged `timedOut`; `false` (graceful
   * stop of a consumer, default) leaves them, with one warning: they are in
   * the archive and reopen after the restart.
   */
  readonly flushOnComplete?: boolean;
  readonly logger: Logger;
  /**
   * Runs before each marker reaches the closer, in turn with everything else
   * (a `shared` closer catching up with dates another member closed while it
   * stood by).
   */
  readonly beforeMarker?: () => Promise<void>;
}

/**
 * The date closer as an operator, after `writeAhead`: events (now archived)
 * go to `closer.onEvent`; at each checkpoint and each marker, and when the
 * closer's next check falls due (a timeout, a store poll), the dates it
 * closes or restates are emitted in order, before the checkpoint that
 * follows them. Dead letters and checkpoints pass through in order.
 *
 * The closer's reads may be asynchronous (a store), so work is serialised:
 * each input, timer and completion runs after the previous one finished;
 * while nothing is pending, synchronous steps run at once (a bar costs one
 * call, no promise). One timer at a time; released on completion, error and
 * unsubscribe. Right after subscribing, open dates already complete in the
 * archive (a restart) are closed.
 */
export function closeDates(
  closer: DateCloser,
  options: CloseDatesOptions,
): OperatorFunction<Routed<MarketEvent> | Checkpoint, Routed<ClosedDate> | Checkpoint> {
  const scheduler = options.scheduler ?? asyncScheduler;
  return (source) =>
    new Observable<Routed<ClosedDate> | Checkpoint>((subscriber) => {
      let pending: Promise<void> | null = null;
      let timer: Subscription | null = null;
      let stopped = false;

      const fail = (error: unknown): void => {
        if (stopped) return;
        stopped = true;
        timer?.unsubscribe();
        subscriber.error(error);
      };
      /** Runs `step` now if nothing is pending, else after what is. */
      const run = (step: () => void | Promise<void>): void => {
        if (stopped) return;
        if (pending === null) {
          let result: void | Promise<void>;
          try {
            result = step();
          } catch (error) {
            fail(error);
            return;
          }
          if (result instanceof Promise) track(result);
          return;
        }
        track(pending.then(() => (stopped ? undefined : step())));
      };
      const track = (work: Promise<void>): void => {
        const settled: Promise<void> = work.then(
          () => {
            if (pending === settled) pending = null;
          },
          (error: unknown) => {
            if (pending === settled) pending = null;
            fail(error);
          },
        );
        pending = settled;
      };
      const emitDue = async (): Promise<void> => {
        const closed = await closer.due(scheduler.now());
        for (const value of closed) {
          if (subscriber.closed || stopped) return;
          subscriber.next({ kind: 'ok', value });
        }
        arm();
      };
      const arm = (): void => {
        timer?.unsubscribe();
        timer = null;
        const at = closer.nextCheck(scheduler.now());
        if (at === null || stopped) return;
        timer = scheduler.schedule(() => run(emitDue), Math.max(0, at - scheduler.now()));
      };

      run(emitDue);
      const subscription = source.subscribe({
        next: (input) =>
          run(() => {
            if (isCheckpoint(input)) return emitDue().then(() => subscriber.next(input));
            if (input.kind === 'dead') {
              subscriber.next(input);
              return;
            }
            const event = input.value;
            if (event.kind === 'bar') {
              closer.onEvent(event, scheduler.now());
              return;
            }
            const before = options.beforeMarker?.() ?? Promise.resolve();
            return before.then(() => {
              closer.onEvent(event, scheduler.now());
              return emitDue();
            });
          }),
        error: (error: unknown) => run(() => fail(error)),
        complete: () =>
          run(async () => {
            if (options.flushOnComplete === true) {
              closer.expireAll();
              await emitDue();
            } else if (closer.openDays.length > 0) {
              const dates = closer.openDays.map(formatIsoDay);
              options.logger.warn(
                `stopping with ${dates.length} open date(s) ${dates.join(', ')}; they reopen from the bar archive`,
                { dates },
              );
            }
            stopped = true;
            timer?.unsubscribe();
            subscriber.complete();
          }),
      });
      return () => {
        stopped = true;
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
