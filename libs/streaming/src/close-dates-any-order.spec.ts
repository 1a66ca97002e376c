/**
 * Property: bars arrive keyed by instrument in any order (SPEC §8), with
 * redeliveries, and dates interleave as they do across partitions (a date's
 * first event never comes after the next date's first event), in bus
 * batches of random size. Whatever the order, the date closer (single
 * consumer: cached archive over the embedded store) emits every date once,
 * in date order, equal to the panel.
 */
import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { Rng, dateOffsets, parseIsoDay } from '@alphafeed/core';
import { Checkpoint, writeAhead } from '@alphafeed/pipeline';
import type { BarEvent, MarketEvent, Routed } from '@alphafeed/pipeline';
import { CachedDateBars } from './cached-date-bars';
import { closeDates } from './close-dates.operator';
import type { ClosedDate } from './closed-date';
import { DateCloser } from './date-closer';
import { archiveOnFreshStore, recordingLogger, smallPanel } from './fixtures.testing';

type CloseDatesInput = MarketEvent;

const panel = smallPanel(6, 7);
const offsets = dateOffsets(panel.date, panel.calendar.length);

function barOf(r: number): BarEvent {
  return {
    region: 'US',
    date: parseIsoDay(panel.calendar[panel.date[r]]),
    instrument: panel.instruments[panel.instrument[r]],
    open: panel.open[r],
    high: panel.high[r],
    low: panel.low[r],
    close: panel.close[r],
    volume: panel.volume[r],
    amount: (panel.amount as Float64Array)[r],
    shares_out: null,
    factor: null,
    industry: panel.industries[panel.industry[r]],
  };
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Per date: its bars (some twice) and its marker, shuffled; then a random merge that starts dates in order. */
function arrival(seed: number): CloseDatesInput[] {
  const rng = new Rng(seed);
  const perDate = panel.calendar.map((iso, d) => {
    const events: CloseDatesInput[] = [];
    for (let r = offsets[d]; r < offsets[d + 1]; r++) {
      events.push({ kind: 'bar', bar: barOf(r) });
      if (rng.uniform() < 0.3) events.push({ kind: 'bar', bar: barOf(r) });
    }
    events.push({
      kind: 'eod',
      eod: { region: 'US', date: parseIsoDay(iso), bar_count: offsets[d + 1] - offsets[d] },
    });
    return shuffle(events, rng);
  });
  const out: CloseDatesInput[] = [];
  const next = perDate.map(() => 0);
  let started = 0;
  while (out.length < perDate.reduce((n, e) => n + e.length, 0)) {
    const choices = perDate.map((_, d) => d).filter((d) => d <= started && next[d] < perDate[d].length);
    const d = choices[rng.int(choices.length)];
    out.push(perDate[d][next[d]++]);
    if (d === started && started < perDate.length - 1) started++;
  }
  return out;
}

/** The events as bus batches of 1..9, each followed by its checkpoint. */
function batches(events: readonly MarketEvent[], seed: number): (Routed<MarketEvent> | Checkpoint)[] {
  const rng = new Rng(seed ^ 0x5bd1e995);
  const out: (Routed<MarketEvent> | Checkpoint)[] = [];
  for (let i = 0; i < events.length;) {
    const n = 1 + rng.int(9);
    for (const value of events.slice(i, i + n)) out.push({ kind: 'ok', value });
    out.push(new Checkpoint(() => undefined));
    i += n;
  }
  return out;
}

it('emits every date once, in order, equal to the panel, whatever the arrival order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer(), async (seed) => {
      const logger = recordingLogger();
      const { store, archive } = await archiveOnFreshStore();
      const bars = new CachedDateBars(archive, 300);
      const closer = new DateCloser(bars, {
        region: 'US',
        eodTimeoutMs: 60_000,
        logger,
        revisionOf: () => 0,
      });
      closer.resume([], 0);
      const all = await lastValueFrom(
        from(batches(arrival(seed), seed)).pipe(
          writeAhead((events: readonly MarketEvent[]) => bars.write(events)),
          closeDates(closer, { logger }),
          toArray(),
        ),
      );
      await store.close();
      const out = all.filter((o): o is Routed<ClosedDate> => !(o instanceof Checkpoint));
      expect(logger.warnings()).toEqual([]);
      expect(out.map((o) => (o.kind === 'ok' ? o.value.date : o.letter.code))).toEqual(panel.calendar);
      out.forEach((o, d) => {
        const closed = (o as { value: ClosedDate }).value;
        expect(closed.revision).toBe(0);
        expect(closed.timedOut).toBe(false);
        expect(closed.instruments).toEqual(
          Array.from(panel.instrument.subarray(offsets[d], offsets[d + 1]), (i) => panel.instruments[i]),
        );
        expect(closed.close).toEqual(panel.close.slice(offsets[d], offsets[d + 1]));
        expect(closed.amount).toEqual((panel.amount as Float64Array).slice(offsets[d], offsets[d + 1]));
      });
    }),
    { numRuns: 100 },
  );
});
