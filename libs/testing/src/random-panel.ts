/**
 * Test support: small random panels with the awkward cases of real data —
 * late listings, delistings, suspensions longer and shorter than the
 * carry-forward limit, zero-volume days, tiny industries and instruments that
 * change industry — rows in (date, instrument) order as `BarPanel` promises.
 */
import { Rng, selectPanelRows } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';

export interface RandomPanelOptions {
  readonly instruments: number;
  readonly dates: number;
  readonly industries: number;
  readonly seed: number;
  readonly sharesOut?: boolean;
  readonly amount?: boolean;
}

export function randomPanel(options: RandomPanelOptions): BarPanel {
  const { instruments, dates, industries, seed } = options;
  const rng = new Rng(seed);
  const rows: { d: number; i: number; g: number; c: number; v: number; a: number; s: number }[] = [];
  for (let i = 0; i < instruments; i++) {
    const listed = rng.uniform() < 0.3 ? rng.int(Math.max(1, dates >> 1)) : 0;
    const delisted = rng.uniform() < 0.3 ? listed + 1 + rng.int(dates) : dates;
    let industry = rng.int(industries);
    let close = 5 + 50 * rng.uniform();
    const shares = 1e6 * (1 + 10 * rng.uniform());
    for (let d = listed; d < Math.min(dates, delisted); d++) {
      if (rng.uniform() < 0.03) {
        d += rng.int(9);
        continue;
      }
      if (rng.uniform() < 0.005) industry = rng.int(industries);
      const flat = rng.uniform() < 0.05;
      close = flat ? close : close * Math.exp(0.02 * rng.normal());
      const volume = rng.uniform() < 0.05 ? 0 : Math.round(1000 * (1 + 5 * rng.uniform()));
      rows.push({
        d,
        i,
        g: industry,
        c: close,
        v: volume,
        a: rng.uniform() < 0.05 ? 0 : close * volume * (0.9 + 0.2 * rng.uniform()),
        s: shares,
      });
    }
  }
  rows.sort((x, y) => x.d - y.d || x.i - y.i);
  const usedDates = [...new Set(rows.map((r) => r.d))].sort((x, y) => x - y);
  const position = new Map(usedDates.map((d, k) => [d, k]));
  const column = (pick: (r: (typeof rows)[number]) => number): Float64Array => Float64Array.from(rows, pick);
  return {
    calendar: usedDates.map((d) => `D${String(d).padStart(5, '0')}`),
    instruments: Array.from({ length: instruments }, (_, i) => `I${i}`),
    industries: Array.from({ length: industries }, (_, g) => `G${g}`),
    length: rows.length,
    date: Int32Array.from(rows, (r) => position.get(r.d)!),
    instrument: Int32Array.from(rows, (r) => r.i),
    industry: Int32Array.from(rows, (r) => r.g),
    open: column((r) => r.c),
    high: column((r) => r.c),
    low: column((r) => r.c),
    close: column((r) => r.c),
    volume: column((r) => r.v),
    amount: options.amount ? column((r) => r.a) : null,
    sharesOut: options.sharesOut ? column((r) => r.s) : null,
  };
}

/** A copy of the panel keeping only the rows for which `keep(row)` holds (calendar unchanged). */
export function filterPanel(panel: BarPanel, keep: (row: number) => boolean): BarPanel {
  const rows: number[] = [];
  for (let r = 0; r < panel.length; r++) if (keep(r)) rows.push(r);
  return selectPanelRows(panel, Int32Array.from(rows));
}
