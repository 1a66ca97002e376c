/** What the main thread and the raw-feature workers share (`feature-frame.parallel.ts`). */
export interface RawWorkerData {
  /** This worker's index; it writes `control[PRODUCED + worker]`. */
  readonly worker: number;
  /** Instrument ids [from, to) this worker computes. */
  readonly from: number;
  readonly to: number;
  /** Instrument ids in the panel (capacity of the kernels). */
  readonly instruments: number;
  /** Date offsets of the panel rows (`dateOffsets`), length dates + 1. */
  readonly offsets: Int32Array;
  /** Panel columns in shared memory. */
  readonly instrument: Int32Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly amount: Float64Array | null;
  readonly sharesOut: Float64Array | null;
  /** Equal-weighted universe mean return per date (SPEC §2 beta), NaN when none. */
  readonly market: Float64Array;
  /** Dates per block, and how many blocks. */
  readonly blockDates: number;
  readonly blocks: number;
  /** Two block buffers, `RAW_WIDTH` values per bar, indexed from the block's first row. */
  readonly buffers: readonly [Float64Array, Float64Array];
  readonly control: Int32Array;
  /** UTF-8 of the error when `control[ERROR]` is 1. */
  readonly errorText: Uint8Array;
}

/** Slots of `control`: blocks consumed by the main thread, an error flag, then blocks produced per worker. */
export const CONTROL = { CONSUMED: 0, ERROR: 1, PRODUCED: 2 } as const;
