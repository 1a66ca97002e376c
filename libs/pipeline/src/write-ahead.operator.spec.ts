import { EMPTY, NEVER, Subject, concat, from, lastValueFrom, toArray } from 'rxjs';
import { Checkpoint } from './checkpoint';
import type { DeadLetter, Routed } from './events';
import { writeAhead } from './write-ahead.operator';

const dead: Routed<number> = {
  kind: 'dead',
  letter: { reason: 'invalid_bar', code: 'X', detail: '' } as DeadLetter,
};
const ok = (value: number): Routed<number> => ({ kind: 'ok', value });
const show = (x: Routed<number> | Checkpoint) =>
  x instanceof Checkpoint ? 'cp' : x.kind === 'ok' ? String(x.value) : 'dead';

describe('writeAhead', () => {
  it('completes on an empty source without writing', async () => {
    const write = jest.fn();
    expect(await lastValueFrom(EMPTY.pipe(writeAhead(write), toArray()))).toEqual([]);
    expect(write).not.toHaveBeenCalled();
  });

  it('writes the ok values of a batch before emitting them and the checkpoint, keeping order', async () => {
    const log: string[] = [];
    const input = new Subject<Routed<number> | Checkpoint>();
    let release!: () => void;
    input
      .pipe(
        writeAhead((values) => {
          log.push(`write ${values.join(',')}`);
          return new Promise<void>((r) => (release = r));
        }),
      )
      .subscribe((x) => log.push(show(x)));
    input.next(ok(1));
    input.next(dead);
    input.next(ok(2));
    expect(log).toEqual([]);
    input.next(new Checkpoint(() => undefined));
    expect(log).toEqual(['write 1,2']);
    release();
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['write 1,2', '1', 'dead', '2', 'cp']);
  });

  it('writes the rest on completion, and early past maxBuffered', async () => {
    const writes: number[][] = [];
    const out = await lastValueFrom(
      from([ok(1), ok(2), ok(3), dead, ok(4)]).pipe(
        writeAhead((v) => void writes.push([...v]), { maxBuffered: 2 }),
        toArray(),
      ),
    );
    expect(out.map(show)).toEqual(['1', '2', '3', 'dead', '4']);
    expect(writes).toEqual([[1, 2], [3], [4]]);
  });

  it('forwards a checkpoint with nothing before it without writing', async () => {
    const write = jest.fn();
    const cp = new Checkpoint(() => undefined);
    expect(await lastValueFrom(from([cp]).pipe(writeAhead(write), toArray()))).toEqual([cp]);
    expect(write).not.toHaveBeenCalled();
  });

  it('errors and withholds the batch when the write fails', async () => {
    const seen: string[] = [];
    const failure = new Error('store down');
    await expect(
      lastValueFrom(
        from([ok(1), new Checkpoint(() => seen.push('ack'))]).pipe(writeAhead(() => Promise.reject(failure))),
      ),
    ).rejects.toBe(failure);
    expect(seen).toEqual([]);
  });

  it('holds values on a never-completing source and drops them on unsubscribe', () => {
    const write = jest.fn();
    const seen: unknown[] = [];
    const sub = concat(from([ok(1)]), NEVER)
      .pipe(writeAhead(write))
      .subscribe((x) => seen.push(x));
    sub.unsubscribe();
    expect(seen).toEqual([]);
    expect(write).not.toHaveBeenCalled();
  });
});
