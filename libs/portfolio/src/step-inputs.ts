/**
 * Per-date engine inputs from tables, shared by the batch backtest (bar
 * panel + feature frame + alpha table) and the live service (bars archive +
 * features table + alphas table of the date), so that both hand `step` the
 * same input for a date: `portfolioDateInput` merges one date's member rows
 * (the feature frame's rows: real and carried, with the raw styles) and its
 * real bars (with their returns) into the canonical cross-section, ascending
 * by instrument id.
 */
import { dateOffsets, type BarPanel, type FeatureFrame } from '@alphafeed/core';
import { PortfolioInputError } from './errors';
import type { DateAlphas, PortfolioDateInput } from './portfolio.types';

/** One date's member rows (the feature frame's rows of the date), ascending instrument ids. */
export interface DateMemberRows {
  readonly length: number;
  readonly instrument: Int32Array;
  /** Industry of the row (a carried row: at its last bar). */
  readonly industry: Int32Array;
  /** 1 = carried forward (no real bar on the date). */
  readonly carried: Uint8Array;
  readonly beta252: Float64Array;
  readonly size: Float64Array;
  readonly momentum: Float64Array;
  readonly vol60: Float64Array;
}

/** One date's real bars, ascending instrument ids. */
export interface DateBarRows {
  readonly length: number;
  readonly instrument: Int32Array;
  readonly industry: Int32Array;
  /** `close / previous close - 1` on the instrument's own bars (SPEC §1); NaN on a first bar. */
  readonly dailyReturn: Float64Array;
}

/**
 * The engine's input of one date: every member row (member 1; its return
 * from its bar, NaN when carried) and every other real bar (member 0, for
 * its return; styles NaN), merged ascending by instrument id. O(rows).
 */
export function portfolioDateInput(
  dateIndex: number,
  day: string,
  members: DateMemberRows,
  bars: DateBarRows,
  alphas: DateAlphas | null,
): PortfolioDateInput {
  ascending(members.instrument, members.length, day, 'member rows');
  ascending(bars.instrument, bars.length, day, 'bars');
  let n = members.length;
  for (let a = 0, b = 0; b < bars.length; b++) {
    const id = bars.instrument[b];
    while (a < members.length && members.instrument[a] < id) a++;
    if (!(a < members.length && members.instrument[a] === id)) n++;
  }
  const instrument = new Int32Array(n);
  const industry = new Int32Array(n);
  const member = new Uint8Array(n);
  const carried = new Uint8Array(n);
  const beta252 = new Float64Array(n).fill(NaN);
  const size = new Float64Array(n).fill(NaN);
  const momentum = new Float64Array(n).fill(NaN);
  const vol60 = new Float64Array(n).fill(NaN);
  const dailyReturn = new Float64Array(n).fill(NaN);
  let a = 0;
  let b = 0;
  for (let e = 0; e < n; e++) {
    const ma = a < members.length ? members.instrument[a] : Infinity;
    const bb = b < bars.length ? bars.instrument[b] : Infinity;
    if (ma <= bb) {
      instrument[e] = ma;
      industry[e] = members.industry[a];
      member[e] = 1;
      carried[e] = members.carried[a];
      beta252[e] = members.beta252[a];
      size[e] = members.size[a];
      momentum[e] = members.momentum[a];
      vol60[e] = members.vol60[a];
      if (ma === bb) {
        if (carried[e] !== 1) dailyReturn[e] = bars.dailyReturn[b];
        b++;
      }
      a++;
    } else {
      instrument[e] = bb;
      industry[e] = bars.industry[b];
      dailyReturn[e] = bars.dailyReturn[b];
      b++;
    }
  }
  return {
    dateIndex,
    day,
    length: n,
    instrument,
    industry,
    member,
    carried,
    beta252,
    size,
    momentum,
    vol60,
    dailyReturn,
    alphas,
  };
}

function ascending(ids: Int32Array, n: number, day: string, what: string): void {
  for (let k = 1; k < n; k++)
    if (!(ids[k] > ids[k - 1]))
      throw new PortfolioInputError(
        'INSTRUMENT',
        `${day}: the ${what} are not in ascending instrument order (id ${ids[k]} after ${ids[k - 1]}); sort them by instrument, one row each`,
      );
}

/**
 * An alpha table on the panel's codes (the point-in-time table of SPEC §9
 * or an external one, `@alphafeed/pit-alphas`' `AlphaTable` fits), rows
 * sorted by (date, instrument).
 */
export interface AlphaColumns {
  readonly source: string;
  readonly length: number;
  readonly date: Int32Array;
  readonly instrument: Int32Array;
  readonly alphaCombined: Float64Array;
  readonly horizonDays: Float64Array;
  readonly model: Int32Array;
  readonly modelIds: readonly string[];
}

/** What the batch driver reads: the dictionaries and each date's input. */
export interface StepInputSource {
  readonly calendar: readonly string[];
  readonly instruments: readonly string[];
  readonly industries: readonly string[];
  /** Calendar position of the first date with alphas at or after `from`, -1 when none. */
  firstAlphaDate(from: number): number;
  inputOf(dateIndex: number): PortfolioDateInput;
}

/**
 * The batch side's inputs: a bar panel, its feature frame (member rows with
 * the raw styles, carried rows included) and an alpha table, all on the same
 * calendar and instrument codes. Returns are computed once (O(bars)); each
 * `inputOf(d)` is O(rows of d).
 */
export class PanelStepInputs implements StepInputSource {
  readonly calendar: readonly string[];
  readonly instruments: readonly string[];
  readonly industries: readonly string[];
  private readonly barOffsets: Int32Array;
  private readonly frameOffsets: Int32Array;
  private readonly alphaOffsets: Int32Array | null;
  private readonly barReturn: Float64Array;
  private readonly vol60: Float64Array;

  constructor(
    private readonly bars: BarPanel,
    private readonly frame: FeatureFrame,
    private readonly alphas: AlphaColumns | null,
  ) {
    if (
      frame.calendar.length !== bars.calendar.length ||
      frame.instruments.length !== bars.instruments.length
    )
      throw new PortfolioInputError(
        'INSTRUMENT',
        `the feature frame (${frame.calendar.length} dates x ${frame.instruments.length} instruments) is not on the bar panel's keys (${bars.calendar.length} x ${bars.instruments.length}); compute it from the same panel`,
      );
    if (frame.vol60 === undefined)
      throw new PortfolioInputError(
        'OPTIONS',
        'the feature frame has no raw vol_60 column (the risk model needs it, SPEC §10); compute it with computeFeatureFrame',
      );
    this.vol60 = frame.vol60;
    this.calendar = bars.calendar;
    this.instruments = bars.instruments;
    this.industries = bars.industries;
    const D = bars.calendar.length;
    this.barOffsets = dateOffsets(bars.date, D);
    this.frameOffsets = dateOffsets(frame.date, D);
    this.alphaOffsets = alphas === null ? null : dateOffsets(alphas.date, D);
    if (alphas !== null)
      for (let k = 1; k < alphas.length; k++)
        if (alphas.date[k] < alphas.date[k - 1])
          throw new PortfolioInputError(
            'ALPHAS',
            `${alphas.source}: rows are not sorted by date (row ${k + 1} goes back to ${bars.calendar[alphas.date[k]]})`,
          );
    this.barReturn = barReturns(bars);
  }

  firstAlphaDate(from: number): number {
    const off = this.alphaOffsets;
    if (off === null) return -1;
    for (let d = Math.max(0, from); d < this.calendar.length; d++) if (off[d + 1] > off[d]) return d;
    return -1;
  }

  inputOf(d: number): PortfolioDateInput {
    const f0 = this.frameOffsets[d];
    const f1 = this.frameOffsets[d + 1];
    const b0 = this.barOffsets[d];
    const b1 = this.barOffsets[d + 1];
    const fr = this.frame;
    const members: DateMemberRows = {
      length: f1 - f0,
      instrument: fr.instrument.subarray(f0, f1),
      industry: fr.industry.subarray(f0, f1),
      carried: fr.carried.subarray(f0, f1),
      beta252: fr.beta252.subarray(f0, f1),
      size: fr.size.subarray(f0, f1),
      momentum: fr.momentum.subarray(f0, f1),
      vol60: this.vol60.subarray(f0, f1),
    };
    const bars: DateBarRows = {
      length: b1 - b0,
      instrument: this.bars.instrument.subarray(b0, b1),
      industry: this.bars.industry.subarray(b0, b1),
      dailyReturn: this.barReturn.subarray(b0, b1),
    };
    return portfolioDateInput(d, this.calendar[d], members, bars, this.alphasOf(d));
  }

  private alphasOf(d: number): DateAlphas | null {
    const a = this.alphas;
    const off = this.alphaOffsets;
    if (a === null || off === null || off[d + 1] === off[d]) return null;
    const k0 = off[d];
    const k1 = off[d + 1];
    return {
      length: k1 - k0,
      instrument: a.instrument.subarray(k0, k1),
      alphaBps: a.alphaCombined.subarray(k0, k1),
      // One scoring model per date (SPEC §9): its H and id are the first row's.
      horizonDays: a.horizonDays[k0],
      modelId: a.modelIds[a.model[k0]] ?? a.source,
    };
  }
}

/** `close / previous close - 1` per bar row on the instrument's own bars; NaN on its first bar. O(rows). */
export function barReturns(bars: BarPanel): Float64Array {
  const out = new Float64Array(bars.length);
  const last = new Float64Array(bars.instruments.length).fill(NaN);
  for (let r = 0; r < bars.length; r++) {
    const i = bars.instrument[r];
    out[r] = bars.close[r] / last[i] - 1;
    last[i] = bars.close[r];
  }
  return out;
}
