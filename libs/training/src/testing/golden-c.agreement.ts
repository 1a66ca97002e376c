/**
 * Test-only: compares a full default training run on golden case c with the
 * reference files of one CV variant, quantity by quantity, and logs the
 * worst difference of each. Tolerances (golden README, SPEC): Ridge and meta
 * to |a - b| <= 1e-9 |b| + 1e-12; XGBoost predictions within 1e-6 (same
 * libxgboost, same float32 inputs); alphas within 1e-6 bps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreOof } from '@alphafeed/cv';
import type { TrainResult } from '../train-model2';
import { GOLDEN_C_EXPECTED, column, keys, readCsv, readJson, withinSpec } from './golden-c.fixture';

export type Variant = 'walk_forward' | 'cpcv';

interface HorizonSummary {
  n_final_train: number;
  last_labelled_date: string;
  data_end: string;
  ridge_intercept: number;
  ridge_coef: Record<string, number>;
  meta_intercept: number;
  meta_coef: { ridge: number; xgb: number };
  n_oof_covered: number;
  calibrator_thresholds: number;
  var_bps2: number;
  oof_stacked_in_sample: Record<string, number>;
  oof_calibrated_in_sample_bps: Record<string, number>;
}
export interface GoldenSummary {
  features: string[];
  horizons: Record<string, HorizonSummary>;
  combination_weights: Record<string, number>;
  clipped: Record<string, number>;
}

/** Worst differences found, for the closing report. */
export const figures: Record<string, number> = {};

function note(name: string, value: number): void {
  figures[name] = Math.max(figures[name] ?? 0, value);
}

/** Counts values outside |a-b| <= rel|b| + abs, records the max abs and rel diff. */
export function compare(
  name: string,
  mine: ArrayLike<number>,
  ref: ArrayLike<number>,
  rel: number,
  abs: number,
): number {
  if (mine.length !== ref.length) throw new Error(`${name}: ${mine.length} values vs golden ${ref.length}`);
  let bad = 0;
  let worstAbs = 0;
  let worstRel = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(mine[i] - ref[i]);
    if (!(d <= rel * Math.abs(ref[i]) + abs)) bad++;
    worstAbs = Math.max(worstAbs, d);
    if (ref[i] !== 0) worstRel = Math.max(worstRel, d / Math.abs(ref[i]));
  }
  note(`${name} max abs`, worstAbs);
  note(`${name} max rel`, worstRel);
  return bad;
}

export const SPEC_REL = 1e-9;
export const SPEC_ABS = 1e-12;

export function goldenDir(variant: Variant): string {
  return join(GOLDEN_C_EXPECTED, variant);
}

export function goldenSummary(variant: Variant): GoldenSummary {
  return readJson<GoldenSummary>(join(goldenDir(variant), 'model_summary.json'));
}

/** Row keys of the feature frame. */
export function frameKeys(r: TrainResult): string[] {
  const f = r.frame;
  return Array.from(f.date, (d, i) => `${f.calendar[d]}|${f.instruments[f.instrument[i]]}`);
}

/** OOF of one model and horizon as the golden file lays it out (covered rows only, (date, instrument) order). */
export function myOof(
  r: TrainResult,
  model: 'ridge' | 'xgb',
  h: string,
): { keys: string[]; prediction: number[]; foldId: number[] } {
  const hr = r.horizons.find((x) => x.name === h);
  if (hr === undefined) throw new Error(`no horizon ${h}`);
  const oof = hr.oof[model];
  if (oof === undefined) throw new Error(`no ${model} OOF`);
  const all = frameKeys(r);
  const out = { keys: [] as string[], prediction: [] as number[], foldId: [] as number[] };
  for (let s = 0; s < hr.samples.rows.length; s++) {
    if (Number.isNaN(oof.prediction[s])) continue;
    out.keys.push(all[hr.samples.rows[s]]);
    out.prediction.push(oof.prediction[s]);
    out.foldId.push(oof.foldId[s]);
  }
  return out;
}

/** SPEC §7 scores of the in-sample stacked / calibrated OOF (model_summary's `oof_*_in_sample`). */
export function inSampleScores(
  r: TrainResult,
  h: string,
): { stacked: ReturnType<typeof scoreOof>; calibrated: ReturnType<typeof scoreOof> } {
  const hr = r.horizons.find((x) => x.name === h);
  if (hr === undefined) throw new Error(`no horizon ${h}`);
  const st = hr.stacking;
  const dates = Int32Array.from(st.covered, (s) => hr.samples.dates[s]);
  const y = Float64Array.from(st.covered, (s) => hr.samples.label[s]);
  return { stacked: scoreOof(st.stacked, y, dates), calibrated: scoreOof(st.alpha, st.labelBps, dates) };
}

export { column, keys, readCsv, withinSpec };

/**
 * The whole agreement suite of one variant: one full default run (400 trees,
 * seed 42, neutralisation on) in `beforeAll`, then one test per quantity.
 * SLOW: roughly 1 min (walk-forward) / 2 min (cpcv) on one core.
 */
export function describeGoldenVariant(variant: Variant, train: () => TrainResult): void {
  const dir = goldenDir(variant);
  const summary = goldenSummary(variant);
  const HORIZONS = ['21d', '63d'];
  let r: TrainResult;

  beforeAll(() => {
    r = train();
  });
  afterAll(() => {
    r?.dispose();
    console.log(
      `golden c ${variant}: timings ms ${JSON.stringify(r?.timings)}\n${JSON.stringify(figures, null, 1)}`,
    );
  });

  test('splits.json: every fold report, sample and date counts, OOF coverage', () => {
    const golden = readJson<{ horizons: Record<string, Record<string, unknown>> }>(join(dir, 'splits.json'));
    for (const h of HORIZONS) {
      const mine = r.horizons.find((x) => x.name === h)?.splitsReport;
      const ref = golden.horizons[h] as { oof_coverage: number };
      expect(mine).toBeDefined();
      expect({ ...mine, oof_coverage: 0 }).toEqual({ ...ref, oof_coverage: 0 });
      expect(withinSpec(mine?.oof_coverage as number, ref.oof_coverage)).toBe(true);
    }
  });

  test.each(
    HORIZONS.flatMap((h) => [
      ['ridge', h],
      ['xgb', h],
    ]),
  )('OOF predictions of %s %s', (model, h) => {
    const ref = readCsv(join(dir, `oof_${model}_${h}.csv.gz`));
    const mine = myOof(r, model as 'ridge' | 'xgb', h);
    expect(mine.keys).toEqual(keys(ref));
    expect(mine.foldId).toEqual(Array.from(column(ref, 'fold_id')));
    const [rel, abs] = model === 'ridge' ? [SPEC_REL, SPEC_ABS] : [0, 1e-6];
    expect(compare(`${variant} OOF ${model}`, mine.prediction, column(ref, 'prediction'), rel, abs)).toBe(0);
  });

  test('cv_scores.jsonl: every line, same order; counts exact, Ridge scores to the SPEC tolerance', () => {
    const ref = readFileSync(join(dir, 'cv_scores.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            model: string;
            horizon: string;
            fold_id: number | string;
            metric: string;
            value: number;
          },
      );
    const mine = [...r.scores];
    // Golden order: per horizon, per model, folds then oof.
    const order = (x: { horizon: string; model: string }): string => `${x.horizon}|${x.model}`;
    expect(mine.map((x) => `${order(x)}|${x.fold_id}|${x.metric}`).sort()).toEqual(
      ref.map((x) => `${order(x)}|${x.fold_id}|${x.metric}`).sort(),
    );
    const at = new Map(mine.map((x) => [`${order(x)}|${x.fold_id}|${x.metric}`, x.value]));
    for (const g of ref) {
      const v = at.get(`${order(g)}|${g.fold_id}|${g.metric}`) as number;
      if (g.metric === 'n_train' || g.metric === 'n_test') {
        expect(v).toBe(g.value);
        continue;
      }
      const [rel, abs] = g.model === 'ridge' ? [SPEC_REL, SPEC_ABS] : [1e-6, 1e-9];
      const bad = compare(`${variant} cv_scores ${g.model}`, [v], [g.value], rel, abs);
      if (bad > 0)
        throw new Error(`${g.model} ${g.horizon} fold ${g.fold_id} ${g.metric}: ${v} vs golden ${g.value}`);
    }
  });

  test.each(HORIZONS)(
    'model_summary %s: final Ridge and meta coefficients, counts, var_k, in-sample OOF scores',
    (h) => {
      const ref = summary.horizons[h];
      const hr = r.horizons.find((x) => x.name === h);
      const hm = r.models.horizons.find((x) => `${x.horizon}d` === h);
      if (hr === undefined || hm === undefined || hm.ridge === null) throw new Error(`no ${h}`);
      expect(hr.samples.rows.length).toBe(ref.n_final_train);
      expect(hr.lastLabelledDate).toBe(ref.last_labelled_date);
      expect(r.dataRange.last).toBe(ref.data_end);
      expect(hr.stacking.covered.length).toBe(ref.n_oof_covered);
      expect(hr.stacking.calibrator.thresholds.x.length).toBe(ref.calibrator_thresholds);
      const refCoef = summary.features.map((f) => ref.ridge_coef[f]);
      expect(r.models.featureNames).toEqual(summary.features);
      expect(
        compare(
          `${variant} ridge coef`,
          [...hm.ridge.coef, hm.ridge.intercept],
          [...refCoef, ref.ridge_intercept],
          SPEC_REL,
          SPEC_ABS,
        ),
      ).toBe(0);
      const meta = hm.meta;
      expect(
        compare(
          `${variant} meta coef`,
          [...meta.coef, meta.intercept],
          [ref.meta_coef.ridge, ref.meta_coef.xgb, ref.meta_intercept],
          SPEC_REL,
          SPEC_ABS,
        ),
      ).toBe(0);
      expect(compare(`${variant} var_k`, [hm.variance], [ref.var_bps2], SPEC_REL, SPEC_ABS)).toBe(0);
      const s = inSampleScores(r, h);
      for (const m of ['ic', 'rank_ic', 'mse', 'r2', 'n_test'] as const) {
        expect(
          compare(
            `${variant} in-sample stacked`,
            [s.stacked[m]],
            [ref.oof_stacked_in_sample[m]],
            SPEC_REL,
            SPEC_ABS,
          ),
        ).toBe(0);
        expect(
          compare(
            `${variant} in-sample calibrated`,
            [s.calibrated[m]],
            [ref.oof_calibrated_in_sample_bps[m]],
            SPEC_REL,
            SPEC_ABS,
          ),
        ).toBe(0);
      }
    },
  );

  test('combination weights and clip counts', () => {
    const w = r.models.weights;
    expect(
      compare(
        `${variant} weights`,
        w,
        HORIZONS.map((h) => summary.combination_weights[h]),
        SPEC_REL,
        SPEC_ABS,
      ),
    ).toBe(0);
    expect(r.predictions.clipped).toEqual(summary.clipped);
  });

  test('predictions.csv.gz: alphas within 1e-6 bps, variances to the SPEC tolerance, every row', () => {
    const ref = readCsv(join(dir, 'predictions.csv.gz'));
    expect(frameKeys(r)).toEqual(keys(ref));
    const p = r.predictions;
    expect(compare(`${variant} alpha_21d`, p.alphas[0], column(ref, 'alpha_21d'), 0, 1e-6)).toBe(0);
    expect(compare(`${variant} alpha_63d`, p.alphas[1], column(ref, 'alpha_63d'), 0, 1e-6)).toBe(0);
    expect(compare(`${variant} alpha_combined`, p.combined, column(ref, 'alpha_combined'), 0, 1e-6)).toBe(0);
    const v = r.models.horizons.map((m) => m.variance);
    expect(
      compare(
        `${variant} var columns`,
        [v[0], v[1]],
        [column(ref, 'var_21d')[0], column(ref, 'var_63d')[0]],
        SPEC_REL,
        SPEC_ABS,
      ),
    ).toBe(0);
  });

  if (variant !== 'walk_forward') return;

  test('predictions_detail.csv.gz: final base predictions, stacked score, calibrated alphas', () => {
    const ref = readCsv(join(dir, 'predictions_detail.csv.gz'));
    expect(frameKeys(r)).toEqual(keys(ref));
    r.predictions.detail.forEach((d) => {
      const h = `${d.horizon}d`;
      expect(
        compare(
          `${variant} final ridge`,
          d.ridge as Float64Array,
          column(ref, `ridge_${h}`),
          SPEC_REL,
          SPEC_ABS,
        ),
      ).toBe(0);
      expect(compare(`${variant} final xgb`, d.xgb as Float64Array, column(ref, `xgb_${h}`), 0, 1e-6)).toBe(
        0,
      );
      expect(compare(`${variant} stacked`, d.stacked, column(ref, `stacked_${h}`), SPEC_REL, SPEC_ABS)).toBe(
        0,
      );
      expect(
        compare(`${variant} calibrated alpha`, d.calibrated, column(ref, `alpha_${h}_calibrated`), 0, 1e-6),
      ).toBe(0);
    });
    expect(
      compare(
        `${variant} combined calibrated`,
        r.predictions.combinedCalibrated,
        column(ref, 'alpha_combined_calibrated'),
        0,
        1e-6,
      ),
    ).toBe(0);
  });

  test.each(HORIZONS)('calibrator_%s.csv thresholds and feature_importance_%s.csv', (h) => {
    const hm = r.models.horizons.find((x) => `${x.horizon}d` === h);
    const hr = r.horizons.find((x) => x.name === h);
    if (hm === undefined || hr === undefined || hr.importance === null) throw new Error(`no ${h}`);
    const cal = readCsv(join(dir, `calibrator_${h}.csv`));
    const t = hm.calibrator.thresholds;
    expect(compare(`${variant} isotonic x`, t.x, column(cal, 'x'), SPEC_REL, SPEC_ABS)).toBe(0);
    expect(compare(`${variant} isotonic y`, t.y, column(cal, 'y'), SPEC_REL, SPEC_ABS)).toBe(0);
    const imp = readCsv(join(dir, `feature_importance_${h}.csv`));
    const names = imp.rows.map((row) => row[0]);
    const j = names.map((n) => hr.importance?.feature.indexOf(n) as number);
    expect(j.every((x) => x >= 0)).toBe(true);
    expect(j.map((x) => hr.importance?.weight[x])).toEqual(Array.from(column(imp, 'importance_weight')));
    expect(
      compare(
        `${variant} importance gain`,
        j.map((x) => hr.importance?.gain[x] as number),
        column(imp, 'importance_gain'),
        1e-6,
        0,
      ),
    ).toBe(0);
  });
}
