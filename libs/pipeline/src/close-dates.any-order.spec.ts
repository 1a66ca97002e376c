/**
 * Property: bars arrive keyed by instrument in any order (SPEC §8), with
 * redeliveries, and dates interleave as they do across partitions (a date's
 * first event never comes after the next date's first event). Whatever the
 * order, closeDates emits every date once, in date order, equal to the
 * panel.
 */
import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { Rng, dateOffsets, parseIsoDay } from '@alphafeed/core';
import { closeDates, type CloseDatesInput } from './close-dates.operator';
import type { BarEvent, ClosedDate, Routed } from './events';
import { recordingLogger, smallPanel } from './fixtures.testing';

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

it('emits every date once, in order, equal to the panel, whatever the arrival order', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer(), async (seed) => {
      const logger = recordingLogger();
      const all = await lastValueFrom(
        from(arrival(seed)).pipe(closeDates({ eodTimeoutMs: 1000, logger }), toArray()),
      );
      const out = all as Routed<ClosedDate>[];
      expect(logger.warnings).toEqual([]);
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
    { numRuns: 200 },
  );
});
