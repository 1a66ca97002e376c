/**
 * Out-of-fold assembly (SPEC §5): every sample gets the mean of the
 * predictions of the splits that tested it. Walk-forward tests a sample at
 * most once (the first block never: NaN, fold id -1); cpcv tests each sample
 * in phi splits, all of which agree on its fold id (its group). One pass over
 * the test rows of all splits, O(sum of test rows).
 */
import { CvInputError } from './errors';

/** The parts of a split OOF assembly reads; `CvSplit` satisfies it. */
export interface OofSplit {
  readonly foldId: number;
  readonly testRows: Int32Array;
  readonly testFoldIds: Int32Array;
}

export interface OofResult {
  /** Mean prediction per sample; NaN where no split tested it. */
  readonly prediction: Float64Array;
  /** Fold id per sample; -1 where not covered. */
  readonly foldId: Int32Array;
  /** How many splits tested each sample (walk-forward 0/1, cpcv phi). */
  readonly timesTested: Int32Array;
  /** Fraction of samples covered, in [0, 1]. */
  readonly coverage: number;
}

/**
 * `predictionsPerSplit[s][j]` is the prediction of split s for its test row
 * `splits[s].testRows[j]`. Throws on mismatched lengths, out-of-range rows,
 * NaN predictions, or two splits disagreeing on a sample's fold id.
 */
export function assembleOof(
  nSamples: number,
  splits: readonly OofSplit[],
  predictionsPerSplit: readonly Float64Array[],
): OofResult {
  if (!Number.isInteger(nSamples) || nSamples < 0) {
    throw new CvInputError(`nSamples must be a non-negative integer, got ${nSamples}.`);
  }
  if (splits.length !== predictionsPerSplit.length) {
    throw new CvInputError(
      `got ${predictionsPerSplit.length} prediction arrays for ${splits.length} splits; pass one per split, in split order.`,
    );
  }
  const sum = new Float64Array(nSamples);
  const timesTested = new Int32Array(nSamples);
  const foldId = new Int32Array(nSamples).fill(-1);
  for (let s = 0; s < splits.length; s++) {
    const { testRows, testFoldIds } = splits[s];
    const pred = predictionsPerSplit[s];
    if (pred.length !== testRows.length || testFoldIds.length !== testRows.length) {
      throw new CvInputError(
        `split ${splits[s].foldId}: ${pred.length} predictions and ${testFoldIds.length} fold ids ` +
          `for ${testRows.length} test rows; they must be aligned with testRows.`,
      );
    }
    for (let j = 0; j < testRows.length; j++) {
      const r = testRows[j];
      if (r < 0 || r >= nSamples) {
        throw new CvInputError(`split ${splits[s].foldId}: test row ${r} is outside [0, ${nSamples}).`);
      }
      const p = pred[j];
      if (Number.isNaN(p)) {
        throw new CvInputError(`split ${splits[s].foldId}: prediction for test row ${r} is NaN.`);
      }
      const id = testFoldIds[j];
      if (foldId[r] !== -1 && foldId[r] !== id) {
        throw new CvInputError(
          `sample ${r} is tested under fold ids ${foldId[r]} and ${id}; a sample has one fold id.`,
        );
      }
      foldId[r] = id;
      sum[r] += p;
      timesTested[r]++;
    }
  }
  const prediction = new Float64Array(nSamples);
  let covered = 0;
  for (let r = 0; r < nSamples; r++) {
    const c = timesTested[r];
    if (c === 0) {
      prediction[r] = NaN;
    } else {
      prediction[r] = c === 1 ? sum[r] : sum[r] / c;
      covered++;
    }
  }
  return { prediction, foldId, timesTested, coverage: nSamples === 0 ? NaN : covered / nSamples };
}
