/**
 * The market as the accounting sees it: dense date-major matrices
 * (`[d * N + i]`, calendar positions × instruments) of the daily return on
 * the instrument's own bar sequence (SPEC §1) and of bar presence. Dense
 * because every day of the backtest touches every held name: 3,780 dates ×
 * 3,000 names is 91 MB of returns and 11 MB of flags, read sequentially.
 */
import type { BarPanel } from '@alphafeed/core';
import { BacktestInputError } from './errors';

export interface MarketPanel {
  /** ISO dates, the region's calendar. */
  readonly calendar: readonly string[];
  /** Instrument codes; column i of every matrix. */
  readonly instruments: readonly string[];
  /**
   * `close_d / close_prev - 1` on the instrument's own bars (a gap's move is
   * booked on the resume date); NaN where it has no bar on d, and on its
   * first bar (no previous close).
   */
  readonly ret: Float64Array;
  /** 1 when the instrument has a bar on d. */
  readonly bar: Uint8Array;
  /**
   * 1 when the instrument is a universe member on d with a bar (the
   * long-only benchmark's names, SPEC §11); the same buffer as `bar` when no
   * membership table narrows it.
   */
  readonly member: Uint8Array;
}

/**
 * The dense market of a bar panel. `member` (date-major, like the result)
 * narrows the benchmark's names; a member without a bar on d is not one.
 * O(rows + dates × instruments).
 */
export function marketPanelFromBars(bars: BarPanel, member?: Uint8Array): MarketPanel {
  const D = bars.calendar.length;
  const N = bars.instruments.length;
  const ret = new Float64Array(D * N).fill(NaN);
  const bar = new Uint8Array(D * N);
  const lastClose = new Float64Array(N).fill(NaN);
  let prevDate = -1;
  for (let row = 0; row < bars.length; row++) {
    const d = bars.date[row];
    if (d < prevDate)
      throw new BacktestInputError(
        'PANEL',
        `bars must be sorted by date; row ${row} goes back to ${bars.calendar[d]}`,
      );
    prevDate = d;
    const i = bars.instrument[row];
    const close = bars.close[row];
    ret[d * N + i] = close / lastClose[i] - 1; // NaN on the first bar
    bar[d * N + i] = 1;
    lastClose[i] = close;
  }
  if (member === undefined)
    return { calendar: bars.calendar, instruments: bars.instruments, ret, bar, member: bar };
  if (member.length !== D * N)
    throw new BacktestInputError(
      'PANEL',
      `the membership matrix has ${member.length} cells, the panel ${D} dates x ${N} instruments = ${D * N}`,
    );
  const m = new Uint8Array(D * N);
  for (let k = 0; k < m.length; k++) m[k] = member[k] & bar[k];
  return { calendar: bars.calendar, instruments: bars.instruments, ret, bar, member: m };
}

/**
 * A long table's column as a dense date-major matrix (NaN where no row), e.g.
 * `label_21d` of a label frame for the signal metrics. O(rows + D × N).
 */
export function denseByDate(
  date: Int32Array,
  instrument: Int32Array,
  values: Float64Array,
  dates: number,
  instruments: number,
): Float64Array {
  const out = new Float64Array(dates * instruments).fill(NaN);
  for (let row = 0; row < values.length; row++) out[date[row] * instruments + instrument[row]] = values[row];
  return out;
}

/** Checks that a panel's buffers have the sizes its calendar and instruments say. */
export function checkMarketPanel(m: MarketPanel): void {
  const cells = m.calendar.length * m.instruments.length;
  for (const [name, buf] of [
    ['ret', m.ret],
    ['bar', m.bar],
    ['member', m.member],
  ] as const) {
    if (buf.length !== cells)
      throw new BacktestInputError(
        'PANEL',
        `market panel ${name} has ${buf.length} cells, expected ${m.calendar.length} dates x ${m.instruments.length} instruments = ${cells}`,
      );
  }
}
