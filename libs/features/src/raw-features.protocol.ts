/** What the main thread and the feature workers share (`feature-frame.parallel.ts`). */
export interface RawWorkerData {
  /** This worker's index; it writes `control[PRODUCED + worker]` and `control[PRODUCED + workers + worker]`. */
  readonly worker: number;
  readonly workers: number;
  /** Instrument ids [from, to) whose raw features this worker computes. */
  readonly from: number;
  readonly to: number;
  /** Instrument ids in the panel (capacity of the kernels). */
  readonly instruments: number;
  /** Date offsets of the panel rows (`dateOffsets`), length dates + 1. */
  readonly offsets: Int32Array;
  /** Panel columns in shared memory. */
  readonly instrument: Int32Array;
  /** Each date's rows in increasing instrument order (a worker binary-searches its first row). */
  readonly sortedWithinDates: boolean;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly amount: Float64Array | null;
  readonly sharesOut: Float64Array | null;
  /** Equal-weighted universe mean return per date (SPEC §2 beta), NaN when none. */
  readonly market: Float64Array;
  /** Dates per block, and how many blocks. */
  readonly blockDates: number;
  readonly blocks: number;
  /** Two raw block buffers, `RAW_WIDTH` values per bar, indexed from the block's first bar. */
  readonly buffers: readonly [Float64Array, Float64Array];
  /**
   * Two staging blocks of the frame's model feature columns (and the rows'
   * industries), indexed from the block's first frame row; the main thread
   * fills block k, the workers preprocess its dates in place.
   */
  readonly stageFeatures: readonly [readonly Float64Array[], readonly Float64Array[]];
  readonly stageIndustry: readonly [Int32Array, Int32Array];
  /** Frame row at which each date's rows start (length dates + 1), written by the main thread. */
  readonly dateRow: Int32Array;
  /** Preprocessing options (SPEC §3), as the engine resolved them. */
  readonly minIndustrySize: number;
  readonly winsorizeLower: number;
  readonly winsorizeUpper: number;
  readonly control: Int32Array;
  /** UTF-8 of the error when `control[ERROR]` is 1. */
  readonly errorText: Uint8Array;
}

/**
 * Slots of `control`: blocks gathered by the main thread (their raw buffer
 * and staging block handed over), an error flag, then blocks of raw rows
 * produced per worker, then blocks preprocessed per worker.
 */
export const CONTROL = { CONSUMED: 0, ERROR: 1, PRODUCED: 2 } as const;
