/**
 * Golden case c (walk-forward run): the final per-horizon models, fitted on
 * every feature row with a matured label, must reproduce the reference
 * implementation — Ridge to the SPEC tolerance, XGBoost (same libxgboost,
 * same float32 inputs in (date, instrument) order) within 1e-6, and the
 * importance table. Then the steps that are derivable from the golden OOF
 * files: meta Ridge, isotonic thresholds, residual variance, combination
 * weights, and the calibrated final alphas before neutralisation.
 */
import { join } from 'node:path';
import { combinationWeights, residualVariance } from './combination';
import { denseFromColumns } from './dense';
import { IsotonicCalibrator } from './isotonic.calibrator';
import { RidgeModel } from './ridge.model';
import { fitStacker, stackedScore } from './stacking';
import { XGBoostModel } from './xgboost.model';
import {
  GOLDEN_C,
  column,
  keys,
  loadGoldenC,
  readCsv,
  readJson,
  withinSpec,
  type Table,
} from './testing/golden-c.fixture';

const WF = join(GOLDEN_C, 'walk_forward');
const HORIZONS = ['21d', '63d'] as const;
type Horizon = (typeof HORIZONS)[number];

interface HorizonSummary {
  n_final_train: number;
  ridge_intercept: number;
  ridge_coef: Record<string, number>;
  meta_intercept: number;
  meta_coef: { ridge: number; xgb: number };
  n_oof_covered: number;
  calibrator_thresholds: number;
  var_bps2: number;
}
interface Summary {
  features: string[];
  horizons: Record<Horizon, HorizonSummary>;
  combination_weights: Record<Horizon, number>;
}

const summary = readJson<Summary>(join(WF, 'model_summary.json'));
const golden = loadGoldenC();
let detail: Table;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Rows where a and b disagree beyond the SPEC tolerance (one expect per array, not per value). */
function outsideSpec(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!withinSpec(a[i], b[i])) bad++;
  return bad;
}

function maturedRows(y: Float64Array): number[] {
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (!Number.isNaN(y[i])) rows.push(i);
  return rows;
}

beforeAll(() => {
  detail = readCsv(join(WF, 'predictions_detail.csv.gz'));
});

test('golden rows: features are in SPEC order and predictions_detail follows features.csv.gz', () => {
  expect(golden.featureNames).toEqual(summary.features);
  expect(keys(detail)).toEqual(golden.keys);
});

describe.each(HORIZONS)('final models, horizon %s', (h) => {
  const y = golden.labels[h];
  const rows = maturedRows(y);
  const yTrain = Float64Array.from(rows, (i) => y[i]);
  const ref = summary.horizons[h];

  test('trains on every row with a matured label (n_final_train)', () => {
    expect(rows.length).toBe(ref.n_final_train);
  });

  test('Ridge coefficients and intercept agree to 1e-9 relative', () => {
    const ridge = new RidgeModel({ alpha: 3 }).fit(denseFromColumns(golden.features, { rows }), yTrain);
    const coef = ridge.coef;
    let worst = 0;
    golden.featureNames.forEach((name, j) => {
      const b = ref.ridge_coef[name];
      worst = Math.max(worst, Math.abs(coef[j] - b) / Math.abs(b));
      expect(withinSpec(coef[j], b)).toBe(true);
    });
    expect(withinSpec(ridge.intercept, ref.ridge_intercept)).toBe(true);
    const pred = ridge.predict(denseFromColumns(golden.features));
    const refPred = column(detail, `ridge_${h}`);
    expect(outsideSpec(pred, refPred)).toBe(0);
    console.log(
      `golden c ${h} Ridge: max coef rel diff ${worst.toExponential(2)}, max pred abs diff ${maxAbsDiff(pred, refPred).toExponential(2)}`,
    );
  });

  test('XGBoost final predictions within 1e-6 and the same feature importance', () => {
    const X32 = denseFromColumns(golden.features, { rows, type: 'float32' });
    const started = process.hrtime.bigint();
    const model = new XGBoostModel({ nthread: 1 }).fit(X32, yTrain);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    try {
      const pred = model.predict(denseFromColumns(golden.features, { type: 'float32' }));
      const refPred = column(detail, `xgb_${h}`);
      const diff = maxAbsDiff(pred, refPred);
      console.log(
        `golden c ${h} XGBoost: 400 trees on ${rows.length} x 13 in ${ms.toFixed(0)} ms (nthread 1), max abs diff ${diff}`,
      );
      expect(diff).toBeLessThanOrEqual(1e-6);

      const imp = readCsv(join(WF, `feature_importance_${h}.csv`));
      const gain = model.featureImportance('gain');
      const weight = model.featureImportance('weight');
      const totalGain = model.featureImportance('total_gain');
      const refGain = column(imp, 'importance_gain');
      const refWeight = column(imp, 'importance_weight');
      const refTotal = column(imp, 'importance_total_gain');
      imp.rows.forEach((row, r) => {
        const j = golden.featureNames.indexOf(row[0]);
        expect(j).toBeGreaterThanOrEqual(0);
        expect(weight[j]).toBe(refWeight[r]);
        expect(Math.abs(gain[j] - refGain[r])).toBeLessThanOrEqual(1e-6 * Math.abs(refGain[r]));
        expect(Math.abs(totalGain[j] - refTotal[r])).toBeLessThanOrEqual(1e-6 * Math.abs(refTotal[r]));
      });
      expect(imp.rows.length).toBe(golden.featureNames.length);
    } finally {
      model.dispose();
    }
  });

  test('meta Ridge on the OOF pair, isotonic thresholds and residual variance match', () => {
    const oofR = readCsv(join(WF, `oof_ridge_${h}.csv.gz`));
    const oofX = readCsv(join(WF, `oof_xgb_${h}.csv.gz`));
    expect(keys(oofX)).toEqual(keys(oofR));
    const rowOf = new Map<string, number>();
    golden.keys.forEach((k, i) => rowOf.set(k, i));
    const ok = keys(oofR);
    const label = Float64Array.from(ok, (k) => y[rowOf.get(k) as number]);
    expect(label.length).toBe(ref.n_oof_covered);
    expect(label.every((v) => !Number.isNaN(v))).toBe(true);
    const ridgeOof = column(oofR, 'prediction');
    const xgbOof = column(oofX, 'prediction');

    const meta = fitStacker(ridgeOof, xgbOof, label);
    expect(withinSpec(meta.coef[0], ref.meta_coef.ridge)).toBe(true);
    expect(withinSpec(meta.coef[1], ref.meta_coef.xgb)).toBe(true);
    expect(withinSpec(meta.intercept, ref.meta_intercept)).toBe(true);

    const stacked = stackedScore(meta, ridgeOof, xgbOof);
    const labelBps = Float64Array.from(label, (v) => v * 1e4);
    const calibrator = new IsotonicCalibrator().fit(stacked, labelBps);
    const refCal = readCsv(join(WF, `calibrator_${h}.csv`));
    const refX = column(refCal, 'x');
    const refY = column(refCal, 'y');
    const { x, y: ty } = calibrator.thresholds;
    expect(x.length).toBe(ref.calibrator_thresholds);
    expect(x.length).toBe(refX.length);
    let worst = 0;
    expect(outsideSpec(x, refX)).toBe(0);
    expect(outsideSpec(ty, refY)).toBe(0);
    for (let i = 0; i < x.length; i++) {
      worst = Math.max(
        worst,
        Math.abs(x[i] - refX[i]) / Math.abs(refX[i]),
        Math.abs(ty[i] - refY[i]) / Math.abs(refY[i]),
      );
    }
    const alpha = calibrator.predict(stacked);
    const v = residualVariance(labelBps, alpha);
    expect(withinSpec(v, ref.var_bps2)).toBe(true);
    console.log(
      `golden c ${h} calibrator: ${x.length} thresholds, max rel diff ${worst.toExponential(2)}; var ${v}`,
    );

    // The final stacked score and calibrated alpha (before neutralisation) of every row.
    const ridgeFinal = column(detail, `ridge_${h}`);
    const xgbFinal = column(detail, `xgb_${h}`);
    const stackedFinal = stackedScore(meta, ridgeFinal, xgbFinal);
    const refStacked = column(detail, `stacked_${h}`);
    expect(outsideSpec(stackedFinal, refStacked)).toBe(0);
    const alphaFinal = calibrator.predict(stackedFinal);
    const refAlpha = column(detail, `alpha_${h}_calibrated`);
    const diff = maxAbsDiff(alphaFinal, refAlpha);
    console.log(`golden c ${h} calibrated alpha: max abs diff ${diff.toExponential(2)} bps`);
    expect(diff).toBeLessThanOrEqual(1e-6);
  });
});

test('combination weights from the two residual variances', () => {
  const vars = HORIZONS.map((h) => summary.horizons[h].var_bps2);
  const w = combinationWeights(vars);
  HORIZONS.forEach((h, k) => expect(withinSpec(w[k], summary.combination_weights[h])).toBe(true));
  const a21 = column(detail, 'alpha_21d_calibrated');
  const a63 = column(detail, 'alpha_63d_calibrated');
  const ref = column(detail, 'alpha_combined_calibrated');
  let worst = 0;
  for (let i = 0; i < ref.length; i++)
    worst = Math.max(worst, Math.abs(w[0] * a21[i] + w[1] * a63[i] - ref[i]));
  expect(worst).toBeLessThanOrEqual(1e-6);
});
