import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OutgoingMessage } from '@alphafeed/bus';
import { formatIsoDay } from '@alphafeed/core';
import type { BarEvent, EndOfDayEvent } from './events';
import { PipelineError } from './errors';
import { encodeJson, smallPanel } from './fixtures.testing';
import { replayBars, type PublishSink, type ReplayProgress } from './replay';
import { readReplayPosition } from './replay-position';

interface Published {
  readonly topic: string;
  readonly messages: readonly OutgoingMessage[];
}

/** Records publish calls; fails the `failAt`-th call (1-based) once. */
function recordingSink(failAt = 0): PublishSink & { calls: Published[] } {
  const calls: Published[] = [];
  let n = 0;
  return {
    calls,
    async publish(topic, messages) {
      n++;
      if (n === failAt) throw new Error('broker unavailable');
      calls.push({ topic, messages });
    },
  };
}

const decoded = (calls: Published[]) =>
  calls.flatMap((c) =>
    c.messages.map((m) => ({
      topic: c.topic,
      key: m.key?.toString() ?? null,
      ...(JSON.parse(m.value.toString()) as object),
    })),
  );

/** ISO dates of the end-of-day markers in publish order. */
const eodDates = (calls: Published[]) =>
  calls
    .filter((c) => c.topic === 'bars.eod.v1')
    .flatMap((c) =>
      c.messages.map((m) => formatIsoDay((JSON.parse(m.value.toString()) as EndOfDayEvent).date)),
    );

const tempFile = () => join(mkdtempSync(join(tmpdir(), 'replay-')), 'position.json');

const base = { region: 'US', encodeBar: encodeJson, encodeEod: encodeJson } as const;

describe('replayBars', () => {
  it("publishes each date's bars keyed by instrument, then its marker with the bar count, in date order", async () => {
    const panel = smallPanel(3, 4);
    const sink = recordingSink();
    const result = await replayBars({ ...base, panel, sink });
    const messages = decoded(sink.calls);
    // date 0: all 4; date 1: I003 missing ((1+3)%5==4); date 2: I002 missing
    expect(
      messages.map((m) =>
        m.topic === 'bars.eod.v1'
          ? `eod ${(m as unknown as EndOfDayEvent).bar_count}`
          : (m as unknown as BarEvent).instrument,
      ),
    ).toEqual([
      'I000',
      'I001',
      'I002',
      'I003',
      'eod 4',
      'I000',
      'I001',
      'I002',
      'eod 3',
      'I000',
      'I001',
      'I003',
      'eod 3',
    ]);
    const first = messages[0] as unknown as BarEvent & { key: string };
    expect(first).toMatchObject({
      key: 'I000',
      region: 'US',
      date: 19724,
      open: 10,
      high: 11,
      low: 9,
      close: 10.5,
      volume: 1000,
      amount: 10000,
      shares_out: null,
      factor: null,
      industry: 'Energy',
    });
    expect(messages[4]).toMatchObject({ key: 'US', region: 'US', date: 19724, bar_count: 4 });
    expect(result).toMatchObject({ dates: 3, bars: 10, skipped: 0, lastDate: '2024-01-04' });
  });

  it('publishes bars in batches of batchSize within a date and honours from/to', async () => {
    const sink = recordingSink();
    await replayBars({
      ...base,
      panel: smallPanel(6, 5),
      sink,
      batchSize: 2,
      from: '2024-01-03',
      to: '2024-01-04',
    });
    expect(
      sink.calls.map((c) => `${c.topic === 'bars.eod.v1' ? 'eod' : 'bars'}:${c.messages.length}`),
    ).toEqual([
      'bars:2',
      'bars:2',
      'eod:1', // 2024-01-03: 4 bars (I003 missing)
      'bars:2',
      'bars:2',
      'eod:1', // 2024-01-04: 4 bars (I002 missing)
    ]);
    expect(eodDates(sink.calls)).toEqual(['2024-01-03', '2024-01-04']);
  });

  it('produces byte-identical messages when run twice on the same input', async () => {
    const panel = smallPanel(5, 6);
    const a = recordingSink();
    const b = recordingSink();
    await replayBars({ ...base, panel, sink: a, batchSize: 3 });
    await replayBars({ ...base, panel, sink: b, batchSize: 3 });
    expect(b.calls.length).toBe(a.calls.length);
    a.calls.forEach((call, i) => {
      expect(b.calls[i].topic).toBe(call.topic);
      call.messages.forEach((m, j) => {
        expect(b.calls[i].messages[j].key?.equals(m.key as Buffer)).toBe(true);
        expect(b.calls[i].messages[j].value.equals(m.value)).toBe(true);
      });
    });
  });

  it('resumes after an interrupted run: no date missing, none at or before the recorded position published twice', async () => {
    const panel = smallPanel(6, 4);
    const positionFile = tempFile();
    // Calls per date: 1 bars publish (batchSize 10) + 1 marker. Call 7 = the bars of the 4th date.
    const broken = recordingSink(7);
    await expect(replayBars({ ...base, panel, sink: broken, batchSize: 10, positionFile })).rejects.toThrow(
      'broker unavailable',
    );
    const position = await readReplayPosition(positionFile);
    expect(position?.lastDate).toBe('2024-01-04');
    // Publishes are pipelined: calls issued after the failing one may have gone out too (they are published again below).
    expect(eodDates(broken.calls).slice(0, 3)).toEqual(['2024-01-02', '2024-01-03', '2024-01-04']);

    const progress: ReplayProgress[] = [];
    const resumed = recordingSink();
    const result = await replayBars({
      ...base,
      panel,
      sink: resumed,
      batchSize: 10,
      positionFile,
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ skipped: 3, dates: 3, lastDate: '2024-01-07' });
    expect(eodDates(resumed.calls)).toEqual(['2024-01-05', '2024-01-06', '2024-01-07']);
    const resumedBarDates = new Set(
      decoded(resumed.calls).map((m) => formatIsoDay((m as unknown as BarEvent).date)),
    );
    expect([...resumedBarDates].sort()).toEqual(['2024-01-05', '2024-01-06', '2024-01-07']);
    expect(progress.map((p) => [p.date, p.datesDone, p.datesTotal])).toEqual([
      ['2024-01-05', 4, 6],
      ['2024-01-06', 5, 6],
      ['2024-01-07', 6, 6],
    ]);
    // Both runs together published every bar of the panel; the dates up to the position exactly once.
    const key = (m: object) => `${(m as BarEvent).date}|${(m as BarEvent).instrument}`;
    const all = [...decoded(broken.calls), ...decoded(resumed.calls)].filter(
      (m) => m.topic === 'bars.daily.v1',
    );
    expect(new Set(all.map(key)).size).toBe(panel.length);
    const upToPosition = all.filter((m) => formatIsoDay((m as unknown as BarEvent).date) <= '2024-01-04');
    expect(new Set(upToPosition.map(key)).size).toBe(upToPosition.length);

    // A third run has nothing left to do.
    const idle = recordingSink();
    expect(await replayBars({ ...base, panel, sink: idle, positionFile })).toMatchObject({
      dates: 0,
      skipped: 6,
    });
    expect(idle.calls).toEqual([]);
  });

  it('keeps several publishes in flight, and advances the position only over dates acknowledged with everything before them', async () => {
    const panel = smallPanel(6, 4);
    const positionFile = tempFile();
    // Acknowledgements come when the test says so, newest first: the position must wait for the oldest.
    const pending: { topic: string; resolve: () => void }[] = [];
    const sink: PublishSink = {
      publish: (topic) => new Promise<void>((resolve) => pending.push({ topic, resolve })),
    };
    const progress: string[] = [];
    const run = replayBars({
      ...base,
      panel,
      sink,
      batchSize: 10,
      positionFile,
      maxInFlight: 4,
      onProgress: (p) => progress.push(p.date),
    });
    const tick = () => new Promise((r) => setImmediate(r));
    for (let i = 0; i < 100 && pending.length < 4; i++) await tick();
    for (let i = 0; i < 10; i++) await tick();
    // 4 calls in flight (bars + marker of the first two dates), none acknowledged: nothing recorded yet.
    expect(pending.map((p) => p.topic)).toEqual([
      'bars.daily.v1',
      'bars.eod.v1',
      'bars.daily.v1',
      'bars.eod.v1',
    ]);
    for (const p of pending.slice(1).reverse()) p.resolve();
    for (let i = 0; i < 10; i++) await tick();
    expect(progress).toEqual([]);
    expect(await readReplayPosition(positionFile)).toBeNull();
    pending[0].resolve();
    for (let i = 4; i < 12; i++) {
      while (pending.length <= i) await tick();
      pending[i].resolve();
    }
    await expect(run).resolves.toMatchObject({ dates: 6, bars: panel.length, lastDate: '2024-01-07' });
    expect(progress).toEqual([
      '2024-01-02',
      '2024-01-03',
      '2024-01-04',
      '2024-01-05',
      '2024-01-06',
      '2024-01-07',
    ]);
    expect((await readReplayPosition(positionFile))?.lastDate).toBe('2024-01-07');
    await expect(replayBars({ ...base, panel, sink, maxInFlight: 0 })).rejects.toThrow(RangeError);
  });

  it('republishes in full the date whose marker was not acknowledged', async () => {
    const panel = smallPanel(3, 4);
    const positionFile = tempFile();
    const broken = recordingSink(4); // the marker of the 2nd date fails after its bars went out
    await expect(replayBars({ ...base, panel, sink: broken, positionFile })).rejects.toThrow();
    expect((await readReplayPosition(positionFile))?.lastDate).toBe('2024-01-02');
    const resumed = recordingSink();
    await replayBars({ ...base, panel, sink: resumed, positionFile });
    expect(eodDates(resumed.calls)).toEqual(['2024-01-03', '2024-01-04']);
    expect(decoded(resumed.calls).filter((m) => m.topic === 'bars.daily.v1')).toHaveLength(6);
  });

  it('extending `to` continues the same replay', async () => {
    const panel = smallPanel(4, 3);
    const positionFile = tempFile();
    await replayBars({ ...base, panel, sink: recordingSink(), positionFile, to: '2024-01-03' });
    const more = recordingSink();
    await replayBars({ ...base, panel, sink: more, positionFile });
    expect(eodDates(more.calls)).toEqual(['2024-01-04', '2024-01-05']);
  });

  it('refuses a position written by another replay, unless told to restart', async () => {
    const panel = smallPanel(2, 2);
    const positionFile = tempFile();
    await replayBars({ ...base, panel, sink: recordingSink(), positionFile, configHash: 'a' });
    const error = await replayBars({
      ...base,
      panel,
      sink: recordingSink(),
      positionFile,
      configHash: 'b',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('REPLAY_POSITION_MISMATCH');
    const again = recordingSink();
    expect(
      await replayBars({ ...base, panel, sink: again, positionFile, configHash: 'b', restart: true }),
    ).toMatchObject({ dates: 2 });
    expect(JSON.parse(readFileSync(positionFile, 'utf8'))).toMatchObject({
      version: 1,
      lastDate: '2024-01-03',
    });
  });

  it('rejects a corrupt position file and a bad batch size', async () => {
    const positionFile = tempFile();
    writeFileSync(positionFile, '{"version": 2}');
    await expect(
      replayBars({ ...base, panel: smallPanel(1, 1), sink: recordingSink(), positionFile }),
    ).rejects.toMatchObject({ code: 'REPLAY_POSITION_CORRUPT' });
    writeFileSync(positionFile, 'not json');
    await expect(
      replayBars({ ...base, panel: smallPanel(1, 1), sink: recordingSink(), positionFile }),
    ).rejects.toMatchObject({ code: 'REPLAY_POSITION_CORRUPT' });
    await expect(
      replayBars({ ...base, panel: smallPanel(1, 1), sink: recordingSink(), batchSize: 0 }),
    ).rejects.toThrow(RangeError);
  });
});
