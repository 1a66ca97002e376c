import { Backoff, PollTimeoutError, poll, retry } from './retry';

const retriable = (message: string) => Object.assign(new Error(message), { retriable: true });

describe('Backoff', () => {
  it('grows by the factor up to the cap, jittered downwards by at most the jitter fraction', () => {
    const plain = new Backoff({ initialMs: 10, maxMs: 100, factor: 2, jitter: 0 });
    expect(Array.from({ length: 6 }, () => plain.delay())).toEqual([10, 20, 40, 80, 100, 100]);
    const jittered = new Backoff({ initialMs: 10, maxMs: 100, jitter: 0.5, random: () => 1 });
    expect(Array.from({ length: 3 }, () => jittered.delay())).toEqual([5, 10, 20]);
    expect(() => new Backoff({ initialMs: 10, maxMs: 5 })).toThrow(RangeError);
  });
});

describe('retry', () => {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => void sleeps.push(ms);
  beforeEach(() => (sleeps.length = 0));

  it('retries retriable failures with backoff until the operation succeeds', async () => {
    let calls = 0;
    const seen: number[] = [];
    const value = await retry(
      async () => {
        if (++calls < 4) throw retriable('503');
        return 'ok';
      },
      { initialMs: 1, jitter: 0, sleep, onRetry: (_e, attempt) => seen.push(attempt) },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(4);
    expect(sleeps).toEqual([1, 2, 4]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('never retries a programmer error or a failure marked not retriable', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls++;
          throw new TypeError('x is undefined');
        },
        { retriable: () => true, sleep },
      ),
    ).rejects.toThrow(TypeError);
    await expect(
      retry(
        async () => {
          calls++;
          throw Object.assign(new Error('bad config'), { retriable: false });
        },
        { sleep },
      ),
    ).rejects.toThrow('bad config');
    expect(calls).toBe(2);
    expect(sleeps).toEqual([]);
  });

  it('gives up after the attempts or the deadline with the last error', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          throw retriable(`failure ${++calls}`);
        },
        { attempts: 3, sleep, jitter: 0 },
      ),
    ).rejects.toThrow('failure 3');
    await expect(
      retry(
        async () => {
          throw retriable('slow');
        },
        { deadlineMs: 0, sleep },
      ),
    ).rejects.toThrow('slow');
  });
});

describe('poll', () => {
  it('returns the first value that satisfies the condition', async () => {
    let n = 0;
    expect(
      await poll(
        async () => ++n,
        (v) => v >= 3,
        { initialMs: 0 },
      ),
    ).toBe(3);
  });

  it('times out naming what it waited for', async () => {
    await expect(
      poll(
        async () => 0,
        () => false,
        { timeoutMs: 5, initialMs: 1, what: 'rows' },
      ),
    ).rejects.toThrow(new PollTimeoutError('timed out after 5 ms waiting for rows'));
  });
});
