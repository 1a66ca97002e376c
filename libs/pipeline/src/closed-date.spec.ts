import { closeDates, type CloseDatesInput } from './close-dates.operator';
import { closedDateFromBars } from './closed-date';
import type { ClosedDate, Routed } from './events';
import { bar, barEvent, eodEvent, recordingLogger } from './fixtures.testing';
import { from, lastValueFrom, toArray } from 'rxjs';
import { parseIsoDay } from '@alphafeed/core';

const D1 = '2024-01-02';
const day = parseIsoDay(D1);

describe('closedDateFromBars', () => {
  it('builds what closeDates emits for the same bars', async () => {
    const bars = [bar(D1, 'B', 12, { factor: 2 }), bar(D1, 'A', 11, { industry: 'Banks' }), bar(D1, 'B', 13)];
    const events: CloseDatesInput[] = [
      ...bars.map((b) => ({ kind: 'bar' as const, bar: b })),
      eodEvent(D1, 2),
    ];
    const [emitted] = await lastValueFrom(from(events).pipe(closeDates({ eodTimeoutMs: 10 }), toArray()));
    expect(closedDateFromBars(bars, { region: 'US', day, expectedCount: 2 })).toEqual(
      (emitted as { value: ClosedDate }).value,
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

  it('seeds closeDates after a restart: identical redeliveries are no-ops, changes restate with the next revision', async () => {
    const initialClosed = [closedDateFromBars([bar(D1, 'A', 10)], { region: 'US', day, revision: 2 })];
    const logger = recordingLogger();
    const all = await lastValueFrom(
      from<CloseDatesInput[]>([barEvent(D1, 'A', 10), eodEvent(D1, 1), barEvent(D1, 'A', 11)]).pipe(
        closeDates({ eodTimeoutMs: 10, logger, initialClosed }),
        toArray(),
      ),
    );
    const out = all as Routed<ClosedDate>[];
    expect(out.map((o) => (o.kind === 'ok' ? [o.value.revision, o.value.close[0]] : o.letter.code))).toEqual([
      [3, 11],
    ]);
    expect(logger.warnings).toEqual([]);
  });
});
