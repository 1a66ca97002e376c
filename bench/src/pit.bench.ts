/**
 * `npm run bench -- pit sp500 [nthread]`: the whole rolling retraining of
 * SPEC §9 on the real S&P 500 panel (config/us_sp500.yaml, 400 trees): one
 * full Model 2 training per retrain date, wall time of each, peak RSS. It
 * writes `data/backtest/us/alphas_pit.parquet` + `alphas_pit.json` (the
 * point-in-time alphas a backtest reads) and caches finished segments in
 * `data/backtest/us/pit-cache/`, so an interrupted run resumes; the cache key
 * holds a digest of the built training code, so a code change retrains.
 *
 * `npm run bench -- pit us [nthread] [trees] [first|last|first,last]`: US
 * scale (synthetic 3,000 × 15 years): the schedule, then the first and/or
 * the last (largest) segment trained and scored once each; the whole run's
 * time is an extrapolation from them, linear in training rows (a training's
 * cost is close to linear in its rows: XGBoost hist and Ridge both are).
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, overrideConfig, parseConfig, type RegionConfig } from '@alphafeed/config';
import { dateOffsets, type FeatureFrame, type LabelFrame } from '@alphafeed/core';
import { generateSyntheticBars, loadBars, parseSourceSpec } from '@alphafeed/data';
import { computeFeatureFrame, type FeatureName } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import {
  computePointInTimeAlphas,
  pitCodeVersion,
  pitProgressBar,
  pointInTimeSchedule,
  pointInTimeSegment,
  writePitAlphas,
} from '@alphafeed/pit-alphas';

const ROOT = resolve(__dirname, '../../..');

export async function run(args: string[]): Promise<void> {
  const [mode, ...rest] = args;
  if (mode === 'sp500') return sp500(rest);
  if (mode === 'us') return usScale(rest);
  throw new RangeError(`usage: pit sp500 [nthread] | pit us [nthread] [trees]; got ${args.join(' ')}`);
}

async function sp500(args: string[]): Promise<void> {
  const nthread = args[0] === undefined ? 1 : Number(args[0]);
  const config = overrideConfig(
    loadConfig(join(ROOT, 'config/us_sp500.yaml')),
    { models: { xgboost: { nthread } } },
    'bench',
  );
  process.chdir(ROOT);
  print(
    `load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const t0 = Date.now();
  const { panel } = await loadBars(parseSourceSpec(config.data.source), {
    region: 'us',
    industryTable: config.data.industry_table ?? undefined,
  });
  const { features, labels } = frames(config, panel.sharesOut !== null, () => panel);
  const prep = Date.now() - t0;
  print(
    `panel: ${panel.instruments.length} instruments × ${panel.calendar.length} dates; ${features.length} feature rows (${(prep / 1000).toFixed(1)} s)`,
  );

  const outDir = join(config.output.data_dir, 'backtest', config.region);
  const started = Date.now();
  // CPU time per training (wall time on a shared machine depends on its load).
  const cpuByDate = new Map<string, number>();
  let cpuMark = process.cpuUsage();
  const bar = pitProgressBar();
  const result = await computePointInTimeAlphas(
    { features, labels, config },
    {
      nthread,
      cacheDir: join(outDir, 'pit-cache'),
      codeVersion: pitCodeVersion(),
      onProgress: (e) => {
        bar(e);
        if (!e.finished) return;
        const used = process.cpuUsage(cpuMark);
        cpuByDate.set(e.retrainDate, (used.user + used.system) / 1000);
        cpuMark = process.cpuUsage();
      },
      logger: {
        info: (m) =>
          m.startsWith('pit')
            ? print(`${new Date().toISOString()} ${m} (load ${loadavg()[0].toFixed(1)})`)
            : undefined,
      },
    },
  );
  const wall = Date.now() - started;
  const written = await writePitAlphas(result, outDir, {
    region: config.region,
    gitSha: gitSha(),
    runtime: { prepare: prep, pit: wall },
  });

  print('\nretrain date   training rows  scored rows   H days   wall s    CPU s  cached');
  for (const t of result.trainings) {
    const cpu = cpuByDate.get(t.retrainDate);
    print(
      `${t.retrainDate}   ${String(t.trainingRows).padStart(13)}  ${String(t.scoredRows).padStart(11)}  ` +
        `${t.horizonDays.toFixed(2).padStart(7)}  ${(t.ms / 1000).toFixed(1).padStart(7)}  ` +
        `${cpu === undefined ? '      -' : (cpu / 1000).toFixed(1).padStart(7)}  ${t.cached}`,
    );
  }
  const trained = result.trainings.filter((t) => !t.cached);
  const trainMs = trained.reduce((s, t) => s + t.ms, 0);
  const cpuMs = [...cpuByDate.values()].reduce((s, v) => s + v, 0);
  print(
    `\n${result.trainings.length} trainings (${trained.length} trained now, nthread ${nthread}): ` +
      `${(trainMs / 1000).toFixed(0)} s wall (${(cpuMs / 1000).toFixed(0)} s CPU) of training, ${(wall / 1000).toFixed(0)} s wall for the run; ` +
      `${result.table.length} alpha rows ${result.table.calendar[result.table.date[0]]} .. ` +
      `${result.table.calendar[result.table.date[result.table.length - 1]]}`,
  );
  print(`written: ${written.path}, ${written.manifestPath}`);
  print(`peak RSS: ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GB`);
  print(
    `load average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

async function usScale(args: string[]): Promise<void> {
  const [nthread, trees] = [2, 400].map((d, i) => (args[i] === undefined ? d : Number(args[i])));
  const which = args[2] ?? 'first,last';
  if (!/^(first|last)(,(first|last))?$/.test(which))
    throw new RangeError(`pit us [nthread] [trees] [first|last|first,last]; got ${which}`);
  const config = parseConfig(
    {
      region: 'us',
      data: { synthetic: { instruments: 3000, years: 15, signal_strength: 0.05 } },
      models: { xgboost: { n_estimators: trees, nthread } },
    },
    'bench',
  );
  print(
    `load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const { features, labels } = frames(config, true, () =>
    generateSyntheticBars({ region: 'us', instruments: 3000, years: 15, seed: 42, signalStrength: 0.05 }),
  );
  const input = { features, labels, config };
  const schedule = pointInTimeSchedule(input);
  const n = schedule.retrainDates.length;
  const offsets = dateOffsets(features.date, features.calendar.length);
  const rowsAt = (j: number): number => offsets[schedule.retrainDates[j] + 1];
  let rowsSum = 0;
  for (let j = 0; j < n; j++) rowsSum += rowsAt(j);
  print(
    `panel: ${features.instruments.length} instruments × ${features.calendar.length} dates, ${features.length} feature rows; ` +
      `${n} retrain dates from ${features.calendar[schedule.t0]}; training rows ${rowsAt(0)} .. ${rowsAt(n - 1)}, ` +
      `${rowsSum} summed over the trainings`,
  );
  const measured: { j: number; ms: number; cpu: number }[] = [];
  for (const j of which.split(',').map((w) => (w === 'first' ? 0 : n - 1))) {
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    const { training } = await pointInTimeSegment(input, schedule.retrainDates[j], schedule.ends[j], { nthread });
    const ms = Date.now() - t0;
    const cpu = process.cpuUsage(c0);
    measured.push({ j, ms, cpu: (cpu.user + cpu.system) / 1000 });
    print(
      `segment ${j + 1}/${n} (retrain ${training.retrainDate}): ${training.trainingRows} training rows, ` +
        `${training.scoredRows} scored, ${(ms / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU ` +
        `(load ${loadavg()[0].toFixed(2)})`,
    );
  }
  // Extrapolation, not a measurement: time linear in training rows, through
  // the two measured segments, or proportional to rows from one.
  for (const key of ['ms', 'cpu'] as const) {
    const [a, b] = measured;
    let total: number;
    if (b === undefined) total = (a[key] * rowsSum) / rowsAt(a.j);
    else {
      const slope = (b[key] - a[key]) / (rowsAt(b.j) - rowsAt(a.j));
      total = n * a[key] + slope * (rowsSum - n * rowsAt(a.j));
    }
    print(
      `extrapolated (not measured) ${key === 'ms' ? 'wall' : 'CPU'}: ${n} trainings ≈ ${(total / 3600e3).toFixed(1)} h ` +
        `at nthread ${nthread}, ${trees} trees (${b === undefined ? 'proportional to training rows from one segment' : 'linear in training rows through two segments'})`,
    );
  }
  print(`peak RSS: ${(process.resourceUsage().maxRSS / 1024 / 1024).toFixed(2)} GB`);
  print(
    `load average at end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

/** Features and labels of a panel built inside, so the bars can be collected before the trainings. */
function frames(
  config: RegionConfig,
  hasSharesOut: boolean,
  bars: () => Parameters<typeof computeFeatureFrame>[0],
): { features: FeatureFrame; labels: LabelFrame } {
  const panel = bars();
  const names = config.features.names.filter((n) => hasSharesOut || n !== 'turnover_20') as FeatureName[];
  return {
    features: computeFeatureFrame(panel, {
      features: names,
      minIndustrySize: config.features.min_industry_size,
      ffillLimit: config.features.ffill_limit,
      winsorize: config.features.winsorize,
    }),
    labels: computeLabelFrame(panel, {
      horizons: config.labels.horizons,
      ffillLimit: config.features.ffill_limit,
    }),
  };
}

/** The checkout's commit (`unknown` outside a git work tree). */
function gitSha(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
