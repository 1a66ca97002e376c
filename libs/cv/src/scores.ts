/**
 * The scores of SPEC §7, per fold and on the whole OOF set. Rows must be
 * sorted by date, so each date's cross-section is one contiguous slice and
 * the per-date correlations need no grouping structure. Cost O(n log n) from
 * the per-date rank sorts, O(n) memory for ranks.
 *
 * - `ic`: mean over dates of the per-date Pearson correlation; dates with
 *   fewer than 2 rows or a constant side are left out (NaN if none is left).
 * - `rank_ic`: the same with Spearman (Pearson of average ranks).
 * - `mse`: pooled mean squared error.
 * - `r2`: pooled `1 - SSE / SST`, SST around the pooled mean of the labels of
 *   the scored rows (scikit-learn `r2_score`); NaN when all labels are equal.
 */
import { averageRanksSlice, pearsonSlice } from './correlation.kernel';
import { CvInputError } from './errors';

export interface FoldScores {
  readonly ic: number;
  readonly rank_ic: number;
  readonly mse: number;
  readonly r2: number;
  /** Present on per-fold scores, absent on the OOF scores (as in `cv_scores.jsonl`). */
  readonly n_train?: number;
  readonly n_test: number;
}

/** One line of `cv_scores.jsonl`. */
export interface ScoreRecord {
  readonly model: string;
  readonly horizon: string;
  readonly fold_id: number | 'oof';
  readonly metric: 'ic' | 'rank_ic' | 'mse' | 'r2' | 'n_train' | 'n_test';
  readonly value: number;
}

/**
 * Scores of one fold's test rows. `prediction`, `label` and `rowDates` are
 * aligned; every value must be a number (a NaN is an upstream bug here: test
 * rows always have a label and a prediction).
 */
export function scoreFold(
  prediction: Float64Array,
  label: Float64Array,
  rowDates: Int32Array,
  nTrain?: number,
): FoldScores {
  validate(prediction, label, rowDates, false);
  const s = scoreSorted(prediction, label, rowDates);
  return nTrain === undefined
    ? s
    : { ic: s.ic, rank_ic: s.rank_ic, mse: s.mse, r2: s.r2, n_train: nTrain, n_test: s.n_test };
}

/**
 * Scores of the whole OOF set (`fold_id = "oof"`): rows whose prediction is
 * NaN (not covered, the first walk-forward block) are left out, then as
 * `scoreFold`. Labels must all be numbers.
 */
export function scoreOof(prediction: Float64Array, label: Float64Array, rowDates: Int32Array): FoldScores {
  validate(prediction, label, rowDates, true);
  let n = 0;
  for (let i = 0; i < prediction.length; i++) if (!Number.isNaN(prediction[i])) n++;
  const p = new Float64Array(n);
  const y = new Float64Array(n);
  const d = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < prediction.length; i++) {
    if (Number.isNaN(prediction[i])) continue;
    p[j] = prediction[i];
    y[j] = label[i];
    d[j] = rowDates[i];
    j++;
  }
  return scoreSorted(p, y, d);
}

/**
 * Scores of one split from its test-row predictions (aligned with
 * `split.testRows`) and the full sample columns; `n_train` from the split.
 * Gathers the test rows once, O(test rows).
 */
export function scoreSplit(
  split: { readonly trainRows: Int32Array; readonly testRows: Int32Array },
  testPrediction: Float64Array,
  label: Float64Array,
  sampleDates: Int32Array,
): FoldScores {
  const rows = split.testRows;
  if (testPrediction.length !== rows.length) {
    throw new CvInputError(
      `${testPrediction.length} predictions for ${rows.length} test rows; pass them aligned with testRows.`,
    );
  }
  const y = new Float64Array(rows.length);
  const d = new Int32Array(rows.length);
  for (let j = 0; j < rows.length; j++) {
    y[j] = label[rows[j]];
    d[j] = sampleDates[rows[j]];
  }
  return scoreFold(testPrediction, y, d, split.trainRows.length);
}

/** The `cv_scores.jsonl` lines of one score set, in the golden order. */
export function scoreRecords(
  model: string,
  horizon: string,
  foldId: number | 'oof',
  s: FoldScores,
): ScoreRecord[] {
  const out: ScoreRecord[] = [
    { model, horizon, fold_id: foldId, metric: 'ic', value: s.ic },
    { model, horizon, fold_id: foldId, metric: 'rank_ic', value: s.rank_ic },
    { model, horizon, fold_id: foldId, metric: 'mse', value: s.mse },
    { model, horizon, fold_id: foldId, metric: 'r2', value: s.r2 },
  ];
  if (s.n_train !== undefined)
    out.push({ model, horizon, fold_id: foldId, metric: 'n_train', value: s.n_train });
  out.push({ model, horizon, fold_id: foldId, metric: 'n_test', value: s.n_test });
  return out;
}

function validate(
  prediction: Float64Array,
  label: Float64Array,
  rowDates: Int32Array,
  allowNaNPrediction: boolean,
): void {
  const n = prediction.length;
  if (label.length !== n || rowDates.length !== n) {
    throw new CvInputError(
      `prediction (${n}), label (${label.length}) and rowDates (${rowDates.length}) must have the same length.`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(label[i]))
      throw new CvInputError(`label of row ${i} is NaN; score only rows with a label.`);
    if (!allowNaNPrediction && Number.isNaN(prediction[i])) {
      throw new CvInputError(`prediction of row ${i} is NaN; a fold's test rows must all be predicted.`);
    }
    if (i > 0 && rowDates[i] < rowDates[i - 1]) {
      throw new CvInputError(
        `rowDates must be sorted: row ${i} has date ${rowDates[i]} after ${rowDates[i - 1]}.`,
      );
    }
  }
}

function scoreSorted(p: Float64Array, y: Float64Array, d: Int32Array): FoldScores {
  const n = p.length;
  const rankP = new Float64Array(n);
  const rankY = new Float64Array(n);
  let maxRun = 0;
  for (let b = 0; b < n;) {
    let e = b + 1;
    while (e < n && d[e] === d[b]) e++;
    if (e - b > maxRun) maxRun = e - b;
    b = e;
  }
  const sorted = new Float64Array(maxRun);

  let icSum = 0;
  let icDates = 0;
  let rankSum = 0;
  let rankDates = 0;
  for (let b = 0; b < n;) {
    let e = b + 1;
    while (e < n && d[e] === d[b]) e++;
    const ic = pearsonSlice(p, y, b, e);
    if (!Number.isNaN(ic)) {
      icSum += ic;
      icDates++;
      // Ranks are constant exactly when values are, so the same dates count.
      averageRanksSlice(p, b, e, rankP, sorted);
      averageRanksSlice(y, b, e, rankY, sorted);
      rankSum += pearsonSlice(rankP, rankY, b, e);
      rankDates++;
    }
    b = e;
  }

  // Pooled moments, compensated (Neumaier) since a fold holds up to millions of
  // rows. Terms are non-negative squares, so `|sum| >= term` picks the branch.
  const meanY = compensatedSum(y) / n;
  let sse = 0;
  let sseC = 0;
  let sst = 0;
  let sstC = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] - p[i];
    const e2 = r * r;
    const c = y[i] - meanY;
    const c2 = c * c;
    let t = sse + e2;
    sseC += sse >= e2 ? sse - t + e2 : e2 - t + sse;
    sse = t;
    t = sst + c2;
    sstC += sst >= c2 ? sst - t + c2 : c2 - t + sst;
    sst = t;
  }
  sse += sseC;
  sst += sstC;
  let allEqual = true;
  for (let i = 1; i < n; i++) {
    if (y[i] !== y[0]) {
      allEqual = false;
      break;
    }
  }
  return {
    ic: icDates === 0 ? NaN : icSum / icDates,
    rank_ic: rankDates === 0 ? NaN : rankSum / rankDates,
    mse: n === 0 ? NaN : sse / n,
    r2: n === 0 || allEqual ? NaN : 1 - sse / sst,
    n_test: n,
  };
}

/** Neumaier-compensated sum, O(n). */
function compensatedSum(x: Float64Array): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}
