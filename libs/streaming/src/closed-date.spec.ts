import { parseIsoDay } from '@alphafeed/core';
import { CachedDateBars } from './cached-date-bars';
import { closedDateDigest, closedDateFromBars } from './closed-date';
import { DateCloser } from './date-closer';
import { archiveOnFreshStore, bar, recordingLogger } from './fixtures.testing';

const D1 = '2024-01-02';
const day = parseIsoDay(D1);

describe('closedDateFromBars', () => {
  it('builds what the date closer assembles for the same bars: sorted, duplicates last-wins', async () => {
    const bars = [bar(D1, 'B', 12), bar(D1, 'A', 11, { industry: 'Banks' }), bar(D1, 'B', 13)];
    const { store, archive } = await archiveOnFreshStore();
    const port = new CachedDateBars(archive, 10);
    const closer = new DateCloser(port, {
      region: 'US',
      eodTimeoutMs: 10,
      logger: recordingLogger(),
      revisionOf: () => 0,
    });
    closer.resume([], 0);
    const events = [
      ...bars.map((b) => ({ kind: 'bar' as const, bar: b })),
      { kind: 'eod' as const, eod: { region: 'US', date: day, bar_count: 2 } },
    ];
    await port.write(events);
    for (const e of events) closer.onEvent(e, 0);
    const [emitted] = await closer.due(0);
    await store.close();
    const rebuilt = closedDateFromBars(bars, { region: 'US', day, expectedCount: 2 });
    expect(rebuilt).toEqual(emitted);
    expect(rebuilt.instruments).toEqual(['A', 'B']);
    expect(Array.from(rebuilt.close)).toEqual([11, 13]);
    expect(closedDateDigest(rebuilt)).toBe(closedDateDigest(emitted));
  });

  it('refuses a bar that still carries an adjustment factor: bars are adjusted once, at admission', () => {
    expect(() => closedDateFromBars([bar(D1, 'A', 10, { factor: 2 })], { region: 'US', day })).toThrow(
      /still carries factor 2.*at admission/,
    );
  });

  it('carries the revision and rejects bars of another date or without industry', () => {
    expect(closedDateFromBars([bar(D1, 'A')], { region: 'US', day, revision: 3 })).toMatchObject({
      revision: 3,
      restated: true,
      expectedCount: 1,
      timedOut: false,
    });
    expect(() => closedDateFromBars([bar('2024-01-03', 'A')], { region: 'US', day })).toThrow(TypeError);
    expect(() => closedDateFromBars([bar(D1, 'A', 10, { industry: null })], { region: 'US', day })).toThrow(
      TypeError,
    );
  });

  it('digests the bars: same in any order, different after a correction', () => {
    const a = closedDateFromBars([bar(D1, 'A'), bar(D1, 'B', 12)], { region: 'US', day });
    const b = closedDateFromBars([bar(D1, 'B', 12), bar(D1, 'A')], { region: 'US', day });
    const c = closedDateFromBars([bar(D1, 'B', 12.0001), bar(D1, 'A')], { region: 'US', day });
    expect(closedDateDigest(a)).toBe(closedDateDigest(b));
    expect(closedDateDigest(a)).not.toBe(closedDateDigest(c));
  });
});
