import { EMPTY, NEVER, Subject, concat, from, lastValueFrom, of, throwError, toArray } from 'rxjs';
import { ackAfter } from './ack-after.operator';
import { Checkpoint } from './checkpoint';

describe('ackAfter', () => {
  it('completes on an empty source', async () => {
    expect(
      await lastValueFrom(
        EMPTY.pipe(
          ackAfter(async () => undefined),
          toArray(),
        ),
      ),
    ).toEqual([]);
  });

  it('acknowledges a checkpoint only after every earlier value was handled', async () => {
    const log: string[] = [];
    const handle = async (v: number) => {
      await new Promise((r) => setTimeout(r, 3 - v));
      log.push(`stored ${v}`);
    };
    const out = await lastValueFrom(
      from([1, 2, new Checkpoint(() => log.push('ack 1')), 3, new Checkpoint(() => log.push('ack 2'))]).pipe(
        ackAfter(handle),
        toArray(),
      ),
    );
    expect(out).toEqual([1, 2, 3]);
    expect(log).toEqual(['stored 1', 'stored 2', 'ack 1', 'stored 3', 'ack 2']);
  });

  it('never acknowledges checkpoints behind a failed handler and propagates the error', async () => {
    const ack = jest.fn();
    const failure = new Error('store down');
    await expect(
      lastValueFrom(from([1, new Checkpoint(ack)]).pipe(ackAfter(() => Promise.reject(failure)))),
    ).rejects.toBe(failure);
    expect(ack).not.toHaveBeenCalled();
  });

  it('propagates a source error', async () => {
    const boom = new Error('boom');
    await expect(
      lastValueFrom(
        concat(
          of(1),
          throwError(() => boom),
        ).pipe(ackAfter(() => undefined)),
      ),
    ).rejects.toBe(boom);
  });

  it('on unsubscribe leaves the pending checkpoint unacknowledged', async () => {
    const ack = jest.fn();
    const input = new Subject<number | Checkpoint>();
    const sub = input.pipe(ackAfter(() => new Promise<void>(() => undefined))).subscribe();
    input.next(1);
    input.next(new Checkpoint(ack));
    sub.unsubscribe();
    await new Promise((r) => setImmediate(r));
    expect(ack).not.toHaveBeenCalled();
    const never = concat(of(new Checkpoint(ack)), NEVER)
      .pipe(ackAfter(() => undefined))
      .subscribe();
    expect(ack).toHaveBeenCalledTimes(1);
    never.unsubscribe();
  });
});
