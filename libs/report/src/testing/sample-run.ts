/**
 * Test support: a complete set of report inputs on disk, made by the real
 * backtest lib on a seeded random market (diagonal risk hooks, a weakly
 * informative alpha) plus training artifacts in the trainer's layout
 * (cv_scores.jsonl, feature_importance_{h}.parquet) with seeded scores.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@alphafeed/core';
import { writeParquet } from '@alphafeed/data';
import {
  backtestDir,
  runBacktest,
  signalMetrics,
  summarizeBacktest,
  writeBacktestOutputs,
  type BacktestMode,
  type MarketPanel,
  type TradingRules,
} from '@alphafeed/backtest';
import { FEATURE_NAMES } from '@alphafeed/features';

// The features a trained model reports importance for (turnover_20 is off by default).
const FEATURES = FEATURE_NAMES.filter((f) => f !== 'turnover_20');
const STYLES = ['beta_252', 'size', 'momentum', 'vol_60'];

export interface SampleRun {
  readonly backtestDir: string;
  readonly modelDataDir: string;
}

/** Writes a sample run under `root` (`data/backtest/{region}`, `data/model2/{region}`). */
export async function writeSampleRun(
  root: string,
  mode: BacktestMode,
  options: { dates?: number; names?: number } = {},
): Promise<SampleRun> {
  const region = mode === 'long_only' ? 'cn' : 'us';
  const D = options.dates ?? 700;
  const N = options.names ?? 80;
  const rng = new Rng(42);
  const calendar: string[] = [];
  for (let day = Date.UTC(2019, 0, 2); calendar.length < D; day += 86_400_000) {
    const wd = new Date(day).getUTCDay();
    if (wd !== 0 && wd !== 6) calendar.push(new Date(day).toISOString().slice(0, 10));
  }
  const instruments = Array.from({ length: N }, (_, i) =>
    mode === 'long_only' ? `SH6${String(i).padStart(5, '0')}` : `U${String(i).padStart(3, '0')}`,
  );
  const ret = new Float64Array(D * N).fill(NaN);
  const bar = new Uint8Array(D * N);
  const loading = Array.from({ length: N * STYLES.length }, () => rng.normal());
  for (let d = 0; d < D; d++) {
    const market = rng.normal() * 0.01;
    for (let i = 0; i < N; i++) {
      if (i === 5 && d > 300 && d < 306) continue; // a suspension
      bar[d * N + i] = 1;
      ret[d * N + i] = d === 0 ? NaN : market * (0.6 + loading[i] * 0.2) + rng.normal() * 0.018;
    }
  }
  const m: MarketPanel = { calendar, instruments, ret, bar, member: bar };
  const H = 21;
  const label = new Float64Array(D * N).fill(NaN);
  const alpha = new Float64Array(D * N).fill(NaN);
  for (let t = 0; t < D; t++)
    for (let i = 0; i < N; i++) {
      if (bar[t * N + i] !== 1) continue;
      let s = 0;
      let next = 0;
      for (let d = t + 1; d <= Math.min(D - 1, t + H); d++) {
        const r = bar[d * N + i] === 1 && Number.isFinite(ret[d * N + i]) ? ret[d * N + i] : 0;
        s += r;
        if (d <= t + 6) next += r;
      }
      if (t + H < D) label[t * N + i] = s;
      alpha[t * N + i] = 1e4 * (0.15 * next + 0.02 * rng.normal());
    }
  const rules: TradingRules =
    mode === 'long_only'
      ? { cost: 2.5e-4, stampDuty: [{ fromDay: -Infinity, rate: 1e-3 }], priceLimits: null }
      : { cost: 5e-4, stampDuty: [], priceLimits: null };
  const start = 100;
  const result = runBacktest(
    m,
    { mode, rebalanceEvery: 5, start, rules },
    {
      decide: (t) => {
        const names = [...Array(N).keys()].filter((i) => Number.isFinite(alpha[t * N + i]));
        names.sort((a, b) => alpha[t * N + a] - alpha[t * N + b]);
        const k = Math.floor(names.length / 5);
        const w = new Float64Array(N);
        if (mode === 'long_only') {
          for (const i of names) w[i] = 0.5 / names.length;
          for (const i of names.slice(-k)) w[i] += 0.5 / k;
        } else {
          for (const i of names.slice(-k)) w[i] = 1 / k;
          for (const i of names.slice(0, k)) w[i] = -1 / k;
        }
        return w;
      },
      exAnteVol: (_d, w, b) => {
        let v = 0;
        for (let i = 0; i < N; i++) v += (w[i] - (b?.[i] ?? 0)) ** 2 * 3.2e-4;
        return Math.sqrt(v);
      },
      exposures: {
        names: ['Energy', 'Tech', ...STYLES],
        of: (_d, w, b) => {
          const out = new Float64Array(2 + STYLES.length);
          for (let i = 0; i < N; i++) {
            const a = w[i] - (b?.[i] ?? 0);
            out[i % 2] += a;
            for (let s = 0; s < STYLES.length; s++) out[2 + s] += a * loading[i * STYLES.length + s];
          }
          return out;
        },
      },
    },
  );
  const rows = { date: [] as number[], instrument: [] as number[], alpha: [] as number[] };
  for (let t = start; t < D; t++)
    for (let i = 0; i < N; i++)
      if (Number.isFinite(alpha[t * N + i])) {
        rows.date.push(t);
        rows.instrument.push(i);
        rows.alpha.push(alpha[t * N + i]);
      }
  const signal = signalMetrics(
    {
      length: rows.date.length,
      date: Int32Array.from(rows.date),
      instrument: Int32Array.from(rows.instrument),
      alpha: Float64Array.from(rows.alpha),
    },
    m,
    label,
    { horizon: H, start },
  );
  const dir = backtestDir(join(root, 'data'), region);
  await writeBacktestOutputs(
    {
      result,
      metrics: summarizeBacktest(result),
      signal,
      identity: {
        region,
        config_hash: 'ab'.repeat(32),
        alphas: 'point-in-time',
        git_sha: '0123456789abcdef',
      },
    },
    dir,
  );

  const modelDataDir = join(root, 'data', 'model2', region);
  mkdirSync(modelDataDir, { recursive: true });
  const lines: string[] = [];
  for (const model of ['ridge', 'xgb'])
    for (const horizon of ['21d', '63d'])
      for (const fold of [0, 1, 2, 3, 4, 'oof'] as const)
        for (const metric of ['ic', 'rank_ic'])
          lines.push(
            JSON.stringify({
              model,
              horizon,
              fold_id: fold,
              metric,
              value: Number((0.02 + 0.03 * rng.uniform()).toFixed(4)),
            }),
          );
  writeFileSync(join(modelDataDir, 'cv_scores.jsonl'), lines.join('\n') + '\n');
  for (const h of ['21d', '63d']) {
    const gain = Float64Array.from(FEATURES, () => 1 + 10 * rng.uniform());
    await writeParquet(join(modelDataDir, `feature_importance_${h}.parquet`), {
      length: FEATURES.length,
      columns: [
        { name: 'feature', type: 'string', values: FEATURES },
        { name: 'importance_gain', type: 'double', values: gain },
        { name: 'importance_weight', type: 'double', values: gain.map((g) => g / 11) },
      ],
    });
  }
  return { backtestDir: dir, modelDataDir };
}
