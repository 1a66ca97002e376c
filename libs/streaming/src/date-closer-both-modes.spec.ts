/**
 * The one date closer in both consumer modes, on the embedded store:
 * `single` reads through the cached archive (this member writes every bar),
 * `shared` through the store alone (another member writes the bars, this one
 * gets the markers). Same scenarios, same answers.
 */
import { parseIsoDay } from '@alphafeed/core';
import type { MarketEvent } from '@alphafeed/pipeline';
import type { EmbeddedStore } from '@alphafeed/store';
import type { BarArchive } from './bar.archive';
import { CachedDateBars } from './cached-date-bars';
import type { ClosedDate } from './closed-date';
import { DateCloser } from './date-closer';
import type { DateBarsPort } from './date-bars.port';
import { archiveOnFreshStore, barEvent, eodEvent, recordingLogger } from './fixtures.testing';
import { StoreDateBars } from './store-date-bars';

type Mode = 'single' | 'shared';

interface Harness {
  readonly closer: DateCloser;
  readonly archive: BarArchive;
  readonly port: DateBarsPort;
  readonly logger: ReturnType<typeof recordingLogger>;
  /** Events arriving at `now`; returns the codes of refused ones. */
  feed(events: readonly MarketEvent[], now: number): Promise<string[]>;
  /** `closer.due(now)` as compact lines, recording the revisions as a runner would. */
  due(now: number): Promise<string[]>;
  close(): Promise<void>;
}

const TIMEOUT = 1000;

async function harness(mode: Mode, window = 300): Promise<Harness> {
  const { store, archive } = await archiveOnFreshStore();
  const port = mode === 'single' ? new CachedDateBars(archive, window) : new StoreDateBars(archive);
  const revisions = new Map<number, number>();
  const logger = recordingLogger();
  const closer = new DateCloser(port, {
    region: 'US',
    eodTimeoutMs: TIMEOUT,
    logger,
    revisionOf: (day) => revisions.get(day) ?? 0,
  });
  closer.resume([], 0);
  return {
    closer,
    archive,
    port,
    logger,
    async feed(events, now) {
      const refused: string[] = [];
      const admitted: MarketEvent[] = [];
      for (const e of events) {
        const violation = closer.admit(e);
        if (violation === null) admitted.push(e);
        else refused.push(violation.code);
      }
      // Shared: the bars reach the archive through another member; this one writes and sees the markers.
      const own = mode === 'single' ? admitted : admitted.filter((e) => e.kind === 'eod');
      if (mode === 'shared') await archive.write(admitted.filter((e) => e.kind === 'bar'));
      await port.write(own);
      for (const e of own) closer.onEvent(e, now);
      return refused;
    },
    async due(now) {
      const out = await closer.due(now);
      for (const c of out) revisions.set(c.day, c.revision);
      return out.map(line);
    },
    close: () => (store as EmbeddedStore).close(),
  };
}

function line(c: ClosedDate): string {
  const rows = c.instruments.map((code, i) => `${code}=${c.close[i]}`).join(',');
  return `${c.date} r${c.revision}${c.timedOut ? ' timedOut' : ''} ${rows}`;
}

describe.each<Mode>(['single', 'shared'])('DateCloser, consumers: %s', (mode) => {
  let h: Harness;
  beforeEach(async () => (h = await harness(mode)));
  afterEach(() => h.close());

  it('closes a date once its marker and bar_count distinct bars are archived, in any order, duplicates last-wins', async () => {
    await h.feed([barEvent('2024-01-02', 'B', 12), eodEvent('2024-01-02', 2)], 0);
    expect(await h.due(0)).toEqual([]);
    await h.feed([barEvent('2024-01-02', 'B', 13), barEvent('2024-01-02', 'A', 10)], 1);
    expect(await h.due(1)).toEqual(['2024-01-02 r0 A=10,B=13']);
    expect(await h.due(2)).toEqual([]);
    expect(h.closer.lastClosedDay).toBe(parseIsoDay('2024-01-02'));
    expect(h.logger.warnings()).toEqual([]);
  });

  it('closes dates in date order: a complete later date waits for the earlier open one', async () => {
    await h.feed(
      [barEvent('2024-01-02', 'A'), barEvent('2024-01-03', 'A', 11), eodEvent('2024-01-03', 1)],
      0,
    );
    expect(await h.due(0)).toEqual([]);
    await h.feed([eodEvent('2024-01-02', 2), barEvent('2024-01-02', 'B', 9)], 5);
    expect(await h.due(5)).toEqual(['2024-01-02 r0 A=10,B=9', '2024-01-03 r0 A=11']);
  });

  it('closes a marked date eodTimeoutMs after its last progress, and an earlier unmarked date with it', async () => {
    await h.feed([barEvent('2024-01-02', 'A')], 0);
    await h.feed([eodEvent('2024-01-03', 3), barEvent('2024-01-03', 'A', 11)], 100);
    expect(await h.due(100)).toEqual([]);
    expect(h.closer.nextCheck(100)).toBeLessThanOrEqual(100 + TIMEOUT);
    await h.feed([barEvent('2024-01-03', 'B', 12)], 600);
    expect(await h.due(600)).toEqual([]); // shared: the poll at 600 sees the new bar
    expect(await h.due(1099)).toEqual([]); // a bar at 600 was progress: the timeout runs from there
    expect(await h.due(600 + TIMEOUT)).toEqual([
      '2024-01-02 r0 timedOut A=10',
      '2024-01-03 r0 timedOut A=11,B=12',
    ]);
    expect(h.logger.warnings()).toEqual([
      'US 2024-01-02 closed without an end-of-day marker (a later marker timed out); check the marker feed',
      `US 2024-01-03 closed after the ${TIMEOUT} ms timeout with 2 of 3 bars`,
    ]);
  });

  it('lets a date with bars but no marker and no later marker wait: its day is not over', async () => {
    await h.feed([barEvent('2024-01-02', 'A')], 0);
    expect(await h.due(10 * TIMEOUT)).toEqual([]);
    expect(h.closer.nextCheck(10 * TIMEOUT)).toBeNull();
  });

  it('closes on a zero-bar marker at once, and with a warning when more bars than bar_count arrived', async () => {
    await h.feed([eodEvent('2024-01-02', 0)], 0);
    expect(await h.due(0)).toEqual(['2024-01-02 r0 ']);
    await h.feed([barEvent('2024-01-03', 'A'), barEvent('2024-01-03', 'B'), eodEvent('2024-01-03', 1)], 1);
    expect(await h.due(1)).toEqual(['2024-01-03 r0 A=10,B=10']);
    expect(h.logger.warnings()).toEqual([
      "US 2024-01-03 has 2 bars, more than the marker's bar_count 1; all are kept",
    ]);
  });

  it('restates a processed date whose bars changed (revision + 1, once), and ignores identical ones', async () => {
    await h.feed([barEvent('2024-01-02', 'A'), barEvent('2024-01-02', 'B'), eodEvent('2024-01-02', 2)], 0);
    await h.feed([barEvent('2024-01-03', 'A'), eodEvent('2024-01-03', 1)], 0);
    expect(await h.due(0)).toHaveLength(2);
    // Shared: the member that ingested the bars re-sends the markers; single: the bars themselves tell.
    const resend = mode === 'shared' ? [eodEvent('2024-01-02', 2), eodEvent('2024-01-03', 1)] : [];
    await h.feed([barEvent('2024-01-02', 'A'), barEvent('2024-01-03', 'A'), ...resend], 1);
    expect(await h.due(1)).toEqual([]);
    await h.feed(
      [barEvent('2024-01-02', 'B', 20), barEvent('2024-01-02', 'B', 21), ...resend.slice(0, 1)],
      2,
    );
    expect(await h.due(2)).toEqual(['2024-01-02 r1 A=10,B=21']);
    expect(await h.due(3)).toEqual([]);
    await h.feed([barEvent('2024-01-02', 'C', 30), ...resend.slice(0, 1)], 4);
    expect(await h.due(4)).toEqual(['2024-01-02 r2 A=10,B=21,C=30']);
  });

  it('refuses events of a never-processed date before the last closed one (late_date), before the archive', async () => {
    await h.feed([barEvent('2024-01-03', 'A'), eodEvent('2024-01-03', 1)], 0);
    await h.due(0);
    expect(await h.feed([barEvent('2024-01-02', 'A'), eodEvent('2024-01-02', 1)], 1)).toEqual([
      'LATE_DATE',
      'LATE_DATE',
    ]);
    expect(await h.archive.counts(-Infinity, Infinity)).toEqual(new Map([[parseIsoDay('2024-01-03'), 1]]));
    expect(await h.due(1)).toEqual([]);
  });

  it('resumes from processed dates: their events are restatement candidates, the archived open dates close', async () => {
    await h.feed([barEvent('2024-01-02', 'A'), eodEvent('2024-01-02', 1)], 0);
    const [closed] = await h.closer.due(0);
    // Bars of the next date are archived, then the process stops before its marker's date closes.
    await h.feed([barEvent('2024-01-03', 'A', 11), eodEvent('2024-01-03', 1)], 1);
    const fresh = new DateCloser(h.port, {
      region: 'US',
      eodTimeoutMs: TIMEOUT,
      logger: h.logger,
      revisionOf: () => 0,
    });
    const { closedDateDigest } = await import('./closed-date');
    fresh.resume([{ day: closed.day, digest: closedDateDigest(closed), length: 1 }], 5);
    expect(fresh.lastClosedDay).toBe(closed.day);
    for (const e of await h.archive.readEvents(closed.day + 1))
      if (mode === 'single' || e.kind === 'eod') fresh.onEvent(e, 5);
    expect((await fresh.due(5)).map(line)).toEqual(['2024-01-03 r0 A=11']);
    expect(fresh.admit(barEvent('2024-01-02', 'A'))).toBeNull();
  });
});

describe('DateCloser, consumers: single (cache window)', () => {
  it('restates a processed date older than the cache window from the store', async () => {
    const h = await harness('single', 1);
    try {
      for (const [k, date] of ['2024-01-02', '2024-01-03', '2024-01-04'].entries())
        await h.feed([barEvent(date, 'A', 10 + k), barEvent(date, 'B', 20 + k), eodEvent(date, 2)], k);
      expect(await h.due(3)).toHaveLength(3);
      expect((h.port as CachedDateBars).cachedDays).toBe(1);
      await h.feed([barEvent('2024-01-02', 'B', 99)], 4);
      expect(await h.due(4)).toEqual(['2024-01-02 r1 A=10,B=99']);
    } finally {
      await h.close();
    }
  });

  it('schedules only timeouts (no polling): it sees every bar itself', async () => {
    const h = await harness('single');
    try {
      await h.feed([eodEvent('2024-01-02', 2), barEvent('2024-01-02', 'A')], 50);
      await h.due(50);
      expect(h.closer.nextCheck(60)).toBe(50 + TIMEOUT);
    } finally {
      await h.close();
    }
  });
});

describe('DateCloser, consumers: shared (polling)', () => {
  it('polls the store with backoff while a marked date waits for bars another member writes', async () => {
    const h = await harness('shared');
    try {
      await h.feed([eodEvent('2024-01-02', 2)], 0);
      expect(await h.due(0)).toEqual([]);
      const first = h.closer.nextCheck(0) as number;
      const second = h.closer.nextCheck(0) as number;
      expect(first).toBeLessThan(TIMEOUT);
      expect(second).toBeGreaterThan(first);
      await h.archive.write([barEvent('2024-01-02', 'A'), barEvent('2024-01-02', 'B')]);
      expect(await h.due(second)).toEqual(['2024-01-02 r0 A=10,B=10']);
      expect(h.closer.nextCheck(second)).toBeNull();
    } finally {
      await h.close();
    }
  });
});
