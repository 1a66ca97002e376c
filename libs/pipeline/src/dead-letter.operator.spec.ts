import { EMPTY, NEVER, Subject, concat, from, lastValueFrom, of, throwError, toArray } from 'rxjs';
import { InputError } from '@alphafeed/core';
import type { IncomingMessage } from '@alphafeed/bus';
import { Checkpoint } from './checkpoint';
import { decodeOrDeadLetter, routeDeadLetters } from './dead-letter.operator';
import type { DeadLetter, Routed } from './events';
import { message } from './fixtures.testing';

const letter = (code: string): DeadLetter => ({ reason: 'invalid_bar', code, detail: code });

describe('decodeOrDeadLetter', () => {
  const decode = (m: IncomingMessage): number => {
    const text = m.value.toString();
    if (text === 'input') throw new InputError('bad input');
    const n = Number(text);
    if (Number.isNaN(n)) throw new Error(`not a number: ${text}`);
    return n;
  };

  it('completes on an empty source', async () => {
    expect(await lastValueFrom(EMPTY.pipe(decodeOrDeadLetter(decode), toArray()))).toEqual([]);
  });

  it('wraps decoded values with their source and dead-letters what throws, without stopping', async () => {
    const good = message('t', '1', 0);
    const bad = message('t', 'x', 1);
    const typed = message('t', 'input', 2);
    const last = message('t', '3', 3);
    const cp = new Checkpoint(() => undefined);
    const out = await lastValueFrom(
      from([good, bad, cp, typed, last]).pipe(decodeOrDeadLetter(decode), toArray()),
    );
    expect(out[0]).toEqual({ kind: 'ok', value: 1, source: good });
    expect(out[1]).toEqual({
      kind: 'dead',
      letter: {
        reason: 'undecodable',
        code: 'DECODE_FAILED',
        detail: 'cannot decode t[0]@1: not a number: x',
        source: bad,
      },
    });
    expect(out[2]).toBe(cp);
    expect(out[3]).toMatchObject({ kind: 'dead', letter: { code: 'INPUT', source: typed } });
    expect(out[4]).toEqual({ kind: 'ok', value: 3, source: last });
  });

  it('refuses a message over maxBytes before decoding it (too_large), and decodes one at the limit', async () => {
    let decoded = 0;
    const counting = (m: IncomingMessage): number => (decoded++, decode(m));
    const atLimit = message('t', '1234', 0);
    const over = message('t', '12345', 1);
    const out = await lastValueFrom(
      from([atLimit, over]).pipe(decodeOrDeadLetter(counting, { maxBytes: 4 }), toArray()),
    );
    expect(out[0]).toEqual({ kind: 'ok', value: 1234, source: atLimit });
    expect(out[1]).toEqual({
      kind: 'dead',
      letter: {
        reason: 'too_large',
        code: 'MESSAGE_TOO_LARGE',
        detail: 't[0]@1: the message has 5 bytes, more than the limit of 4 (streaming.max_message_bytes)',
        source: over,
      },
    });
    expect(decoded).toBe(1);
  });

  it('propagates a source error', async () => {
    const boom = new Error('boom');
    await expect(
      lastValueFrom(
        concat(
          of(message('t', '1')),
          throwError(() => boom),
        ).pipe(decodeOrDeadLetter(decode)),
      ),
    ).rejects.toBe(boom);
  });
});

describe('routeDeadLetters', () => {
  it('completes on an empty source without publishing', async () => {
    const publish = jest.fn();
    expect(await lastValueFrom(EMPTY.pipe(routeDeadLetters(publish), toArray()))).toEqual([]);
    expect(publish).not.toHaveBeenCalled();
  });

  it('publishes the letters before forwarding the next checkpoint, and the rest on completion', async () => {
    const log: string[] = [];
    const publish = async (letters: readonly DeadLetter[]) => {
      await new Promise((r) => setTimeout(r, 5));
      log.push(`published ${letters.map((l) => l.code).join(',')}`);
    };
    const cp = new Checkpoint(() => log.push('ack'));
    const input: (Routed<number> | Checkpoint)[] = [
      { kind: 'ok', value: 1 },
      { kind: 'dead', letter: letter('A') },
      { kind: 'dead', letter: letter('B') },
      cp,
      { kind: 'ok', value: 2 },
      { kind: 'dead', letter: letter('C') },
    ];
    const out = await lastValueFrom(from(input).pipe(routeDeadLetters<number>(publish), toArray()));
    expect(out).toEqual([1, cp, 2]);
    expect(log).toEqual(['published A,B', 'published C']);
  });

  it('keeps order: values behind a pending publish wait for it', async () => {
    const seen: string[] = [];
    let release!: () => void;
    const publish = () => new Promise<void>((r) => (release = r));
    const input = new Subject<Routed<number> | Checkpoint>();
    input
      .pipe(routeDeadLetters<number>(publish))
      .subscribe((v) => seen.push(v instanceof Checkpoint ? 'cp' : String(v)));
    input.next({ kind: 'dead', letter: letter('A') });
    input.next(new Checkpoint(() => undefined));
    input.next({ kind: 'ok', value: 7 });
    expect(seen).toEqual([]);
    release();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(['cp', '7']);
  });

  it('publishes early once maxBuffered letters wait', async () => {
    const batches: number[] = [];
    const input: Routed<number>[] = Array.from({ length: 5 }, (_, i) => ({
      kind: 'dead',
      letter: letter(String(i)),
    }));
    await lastValueFrom(
      from(input).pipe(
        routeDeadLetters<number>((l) => void batches.push(l.length), { maxBuffered: 2 }),
        toArray(),
      ),
    );
    expect(batches).toEqual([2, 2, 1]);
  });

  it('errors the stream and withholds the checkpoint when the publish fails', async () => {
    const ack = jest.fn();
    const failure = new Error('dlq down');
    const input: (Routed<number> | Checkpoint)[] = [
      { kind: 'dead', letter: letter('A') },
      new Checkpoint(ack),
    ];
    await expect(
      lastValueFrom(from(input).pipe(routeDeadLetters<number>(() => Promise.reject(failure)))),
    ).rejects.toBe(failure);
    expect(ack).not.toHaveBeenCalled();
  });

  it('does not complete or publish on a never-completing source, and stops on unsubscribe', () => {
    const publish = jest.fn();
    const seen: unknown[] = [];
    const sub = concat(
      from<Routed<number>[]>([
        { kind: 'ok', value: 1 },
        { kind: 'dead', letter: letter('A') },
      ]),
      NEVER,
    )
      .pipe(routeDeadLetters<number>(publish))
      .subscribe({ next: (v) => seen.push(v), complete: () => seen.push('complete') });
    expect(seen).toEqual([1]);
    sub.unsubscribe();
    expect(publish).not.toHaveBeenCalled();
  });
});
