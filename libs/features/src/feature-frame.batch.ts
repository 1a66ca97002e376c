import { dateOffsets } from '@alphafeed/core';
import type { BarPanel, FeatureFrame } from '@alphafeed/core';
import { carriedRowOffsets } from './carry-forward';
import { RAW_COLUMN_NAMES, RAW_WIDTH } from './feature-names';
import { FeatureEngine } from './feature.engine';
import type { DateBars, FeatureRows } from './feature.engine';
import type { FeatureOptions } from './feature.options';
import { computeRawInWorkers, defaultFeatureWorkers } from './feature-frame.parallel';

/** Raw features per bar (SPEC §2), aligned with the panel's rows. */
export interface RawFeatureFrame {
  /** `FEATURE_NAMES`, then `beta_252`, then `size`. */
  readonly names: readonly string[];
  readonly length: number;
  /** `columns[c][row]` for panel row `row`. */
  readonly columns: readonly Float64Array[];
}

/** Batch options: the input flags (`hasSharesOut`, `hasAmount`) come from the panel. */
export type BatchFeatureOptions = Partial<Omit<FeatureOptions, 'hasSharesOut' | 'hasAmount'>> & {
  /**
   * Threads for the raw features (default: one per core). With more than one,
   * and a panel of at least `parallelMinBars` bars (default 200,000: below
   * that starting threads costs more than it saves), instruments are sharded
   * across worker threads; the result is bit-identical.
   */
  readonly workers?: number;
  readonly parallelMinBars?: number;
};

/**
 * Features of a whole panel (SPEC §2–3) by feeding its dates one at a time
 * through the incremental `FeatureEngine`, the same code the streaming path
 * runs (with `workers > 1`, its raw kernels run on worker threads sharded by
 * instrument, `computeRawInWorkers`, and the rest here). The output is allocated once from the carry-forward row count (an
 * upper bound: rows dropped for NaN leave their slots unused at the end of
 * the buffers, about 7% on a 15-year panel); memory is the frame plus the
 * engine's O(instruments) state.
 */
export function computeFeatureFrame(
  bars: BarPanel,
  options: BatchFeatureOptions = {},
  onDate?: (dateIndex: number) => void,
): FeatureFrame {
  const { workers: workerOption, parallelMinBars, ...engineOptions } = options;
  const engine = new FeatureEngine({
    ...engineOptions,
    hasSharesOut: bars.sharesOut !== null,
    hasAmount: bars.amount !== null,
  });
  const workers = workerOption ?? defaultFeatureWorkers();
  if (!(Number.isInteger(workers) && workers >= 1))
    throw new RangeError(`workers must be an integer >= 1, got ${workers}`);
  const calendarLength = bars.calendar.length;
  const rowOffsets = carriedRowOffsets(
    bars.date,
    bars.instrument,
    calendarLength,
    bars.instruments.length,
    engine.options.ffillLimit,
  );
  const capacity = rowOffsets[calendarLength];
  const date = new Int32Array(capacity);
  const instrument = new Int32Array(capacity);
  const industry = new Int32Array(capacity);
  const carried = new Uint8Array(capacity);
  const features = engine.featureNames.map(() => new Float64Array(capacity));
  const beta252 = new Float64Array(capacity);
  const size = new Float64Array(capacity);
  const momentum = new Float64Array(capacity);
  const vol60 = new Float64Array(capacity);
  let cursor = 0;
  const keep = (d: number, rows: FeatureRows): void => {
    const n = rows.length;
    date.fill(d, cursor, cursor + n);
    instrument.set(rows.instrument, cursor);
    industry.set(rows.industry, cursor);
    carried.set(rows.carried, cursor);
    for (let f = 0; f < features.length; f++) features[f].set(rows.features[f], cursor);
    beta252.set(rows.beta252, cursor);
    size.set(rows.size, cursor);
    momentum.set(rows.momentum, cursor);
    vol60.set(rows.vol60, cursor);
    cursor += n;
    onDate?.(d);
  };
  if (workers > 1 && bars.length >= (parallelMinBars ?? 200_000)) {
    computeRawInWorkers(bars, engine, workers, keep);
  } else {
    forEachDate(bars, (d, slice) => keep(d, engine.closeDate(d, slice)));
  }
  return {
    calendar: bars.calendar,
    instruments: bars.instruments,
    industries: bars.industries,
    featureNames: engine.featureNames,
    length: cursor,
    date: date.subarray(0, cursor),
    instrument: instrument.subarray(0, cursor),
    industry: industry.subarray(0, cursor),
    carried: carried.subarray(0, cursor),
    features: features.map((column) => column.subarray(0, cursor)),
    beta252: beta252.subarray(0, cursor),
    size: size.subarray(0, cursor),
    momentum: momentum.subarray(0, cursor),
    vol60: vol60.subarray(0, cursor),
  };
}

/**
 * Raw per-bar features (before carry-forward and preprocessing), from the same
 * engine: after each date, the raw row of every bar of that date is copied.
 */
export function computeRawFeatures(bars: BarPanel, options: BatchFeatureOptions = {}): RawFeatureFrame {
  const { workers: _workers, parallelMinBars: _min, ...engineOptions } = options;
  const engine = new FeatureEngine({
    ...engineOptions,
    hasSharesOut: bars.sharesOut !== null,
    hasAmount: bars.amount !== null,
  });
  const columns = RAW_COLUMN_NAMES.map(() => new Float64Array(bars.length));
  const row = new Float64Array(RAW_WIDTH);
  let first = 0;
  forEachDate(bars, (d, slice) => {
    engine.closeDate(d, slice);
    for (let b = 0; b < slice.length; b++) {
      engine.copyRawRow(slice.instrument[b], row);
      for (let c = 0; c < RAW_WIDTH; c++) columns[c][first + b] = row[c];
    }
    first += slice.length;
  });
  return { names: RAW_COLUMN_NAMES, length: bars.length, columns };
}

/**
 * Calls `visit` with each calendar date's bars as zero-copy views into the
 * panel (rows must be sorted by date, as `BarPanel` promises).
 */
export function forEachDate(bars: BarPanel, visit: (dateIndex: number, slice: DateBars) => void): void {
  const calendarLength = bars.calendar.length;
  const offsets = dateOffsets(bars.date, calendarLength);
  for (let d = 0; d < calendarLength; d++) {
    const a = offsets[d];
    const b = offsets[d + 1];
    visit(d, {
      length: b - a,
      instrument: bars.instrument.subarray(a, b),
      industry: bars.industry.subarray(a, b),
      close: bars.close.subarray(a, b),
      volume: bars.volume.subarray(a, b),
      amount: bars.amount === null ? null : bars.amount.subarray(a, b),
      sharesOut: bars.sharesOut === null ? null : bars.sharesOut.subarray(a, b),
    });
  }
}
