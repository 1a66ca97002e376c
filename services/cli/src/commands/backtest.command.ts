/**
 * `alphafeed backtest --config C [--alphas parquet:PATH|csv:PATH] [--from D] [--to D]`:
 * bars → features + labels → point-in-time alphas (SPEC §9: the rolling
 * retraining, cached per segment in data/backtest/<region>/pit-cache/ so a
 * rerun on the same data and code reuses every training; or the user's own
 * table with --alphas) → the portfolio engine stepped over the calendar
 * (risk model, optimizer on each rebalance date, SPEC §10–12 accounting) →
 * daily/weights/trades/signal/exposures Parquet + summary.json under
 * data/backtest/<region>/, written all or nothing.
 *
 * Bad input (flags, no alphas, unknown instruments, a NaN alpha, constraints
 * so tight that the first rebalance cannot build a book) fails with one line
 * and exit code 2 before any backtest output is written.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import {
  backtestDir,
  denseByDate,
  marketPanelFromBars,
  signalMetrics,
  summarizeBacktest,
  writeBacktestOutputs,
} from '@alphafeed/backtest';
import type { RegionConfig } from '@alphafeed/config';
import {
  InputError,
  Progress,
  type BarPanel,
  type FeatureFrame,
  type LabelFrame,
  type MemberOracle,
} from '@alphafeed/core';
import { computeFeatureFrame, type FeatureName } from '@alphafeed/features';
import { computeLabelFrame } from '@alphafeed/labels';
import {
  computePointInTimeAlphas,
  pitCodeVersion,
  pitProgressBar,
  readExternalAlphas,
  writePitAlphas,
  type AlphaTable,
} from '@alphafeed/pit-alphas';
import {
  PanelStepInputs,
  PortfolioInputError,
  portfolioEngineOptionsFromConfig,
  runPortfolioBacktest,
} from '@alphafeed/portfolio';
import { subsetBars } from '@alphafeed/training';
import { loadCommandBars, loadCommandConfig } from '../input';
import { gitSha } from '@alphafeed/ops';

export interface BacktestFlags {
  readonly config: string;
  readonly alphas?: string;
  readonly from?: string;
  readonly to?: string;
  readonly outData?: string;
  readonly nthread?: string;
  readonly quiet?: boolean;
}

export function registerBacktestCommand(program: Command): void {
  program
    .command('backtest')
    .description(
      'point-in-time alphas (or --alphas), risk model, optimizer and SPEC §12 accounting; writes data/backtest/<region>/',
    )
    .requiredOption('--config <path>', 'region config, e.g. config/us.yaml')
    .option(
      '--alphas <spec>',
      'your own alpha table, parquet:PATH or csv:PATH (date, instrument, alpha in bps)',
    )
    .option('--from <date>', 'first decision date YYYY-MM-DD (default: the first date with alphas)')
    .option('--to <date>', 'last date YYYY-MM-DD (default: the last date of the data)')
    .option('--out-data <dir>', 'root of data outputs (default: output.data_dir)')
    .option('--nthread <n>', 'XGBoost threads of the retraining (default: models.xgboost.nthread)')
    .option('--quiet', 'no progress bars')
    .action((flags: BacktestFlags) => runBacktestCommand(flags));
}

export async function runBacktestCommand(flags: BacktestFlags): Promise<void> {
  const started = Date.now();
  const from = isoFlag('--from', flags.from);
  const to = isoFlag('--to', flags.to);
  if (from !== undefined && to !== undefined && to <= from)
    throw new InputError(`--to ${to} is not after --from ${from}; a backtest needs at least two dates`);
  if (flags.alphas !== undefined && !/^(parquet|csv):.+/.test(flags.alphas))
    throw new InputError(
      `--alphas "${flags.alphas}" is not parquet:PATH or csv:PATH; name the file with its format, e.g. csv:my_alphas.csv`,
    );
  const nthread = threadsFlag(flags.nthread);
  const alphaPath = flags.alphas?.replace(/^(parquet|csv):/, '');
  if (alphaPath !== undefined && !existsSync(alphaPath))
    throw new InputError(`alpha table ${flags.alphas}: no such file ${alphaPath}; check the path`);
  const input = loadCommandConfig('backtest', flags);
  const { config, log } = input;
  const dataDir = flags.outData ?? config.output.data_dir;
  const outDir = backtestDir(dataDir, config.region);

  const loaded = await loadCommandBars(
    input,
    join(dataDir, 'backtest', 'rejects', config.region),
    flags.quiet,
  );
  const bars = subsetBars(loaded.panel, { startDate: config.data.start_date, endDate: config.data.end_date });
  const members = loaded.membership === null ? null : loaded.membership.forPanel(bars);
  const { features, labels } = frames(config, bars, loaded.hasSharesOut, members, flags.quiet);
  const fromIndex = from === undefined ? 0 : positionOnOrAfter(bars.calendar, from, '--from');
  const toIndex = to === undefined ? bars.calendar.length - 1 : positionOnOrBefore(bars.calendar, to, '--to');

  // Alphas: the user's table, or the point-in-time run (segments cached by inputs and code).
  let table: AlphaTable;
  if (flags.alphas !== undefined) {
    table = await readExternalAlphas(flags.alphas, bars, {
      horizonDays: config.portfolio.horizon_days,
      logger: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    });
  } else {
    const run = await computePointInTimeAlphas(
      { features, labels, config },
      {
        nthread,
        cacheDir: join(outDir, 'pit-cache'),
        codeVersion: pitCodeVersion(),
        onProgress: flags.quiet ? undefined : pitProgressBar(),
        logger: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
      },
    );
    const cached = run.trainings.filter((t) => t.cached).length;
    log.info(
      `point-in-time alphas: ${run.trainings.length} trainings (${cached} from the cache), ${run.table.length} rows`,
    );
    if (run.table.length === 0)
      throw new PortfolioInputError(
        'ALPHAS',
        `the rolling retraining produced no alphas (the data has fewer than portfolio.min_train_dates = ${config.portfolio.min_train_dates} labelled dates before its end); give more history or pass --alphas`,
      );
    await writePitAlphas(run, outDir, { region: config.region, gitSha: gitSha() });
    table = run.table;
  }

  const source = new PanelStepInputs(bars, features, table);
  const engineOptions = portfolioEngineOptionsFromConfig(config, source);
  const progress = new Progress('backtest', toIndex + 1, { unit: 'dates', quiet: flags.quiet });
  let decisions = 0;
  const backtest = runPortfolioBacktest(source, engineOptions, {
    from: fromIndex,
    to: toIndex,
    onProgress: (done) => progress.update(done),
    onDecision: (d) => {
      decisions++;
      if (d.status === 'kept_current' && decisions === 1)
        throw new PortfolioInputError(
          'OPTIONS',
          `the first rebalance (${bars.calendar[d.dateIndex]}) is infeasible even after relaxing the turnover, style and industry constraints: ${d.reason ?? 'no reason given'}; loosen the portfolio: bounds in ${flags.config}`,
        );
      if (d.status === 'relaxed' || d.status === 'kept_current')
        log.warn(
          `rebalance ${bars.calendar[d.dateIndex]}: ${d.status}${d.relaxations.length > 0 ? ` (relaxed ${d.relaxations.join(', ')})` : ''}${d.reason === null ? '' : `: ${d.reason}`}`,
        );
    },
  });
  progress.finish();
  const { result } = backtest;
  const metrics = summarizeBacktest(result);

  // Signal metrics against the matured 21d label (SPEC §12).
  const market = marketPanelFromBars(bars, memberMatrix(features));
  const D = bars.calendar.length;
  const N = bars.instruments.length;
  const h = labels.horizons.indexOf(21) >= 0 ? labels.horizons.indexOf(21) : 0;
  const label = denseByDate(labels.date, labels.instrument, labels.labels[h], D, N);
  const rows = {
    length: table.length,
    date: table.date,
    instrument: table.instrument,
    alpha: table.alphaCombined,
  };
  const signal = signalMetrics(rows, market, label, {
    horizon: labels.horizons[h],
    start: result.start,
    end: result.end,
  });

  const written = await writeBacktestOutputs(
    {
      result,
      metrics,
      signal,
      identity: {
        region: config.region,
        config_hash: input.configHash,
        alphas: flags.alphas ?? 'point-in-time',
        git_sha: gitSha(),
        settings: {
          ...settingsOf(config),
          decisions: backtest.decisionCounts,
        },
      },
    },
    outDir,
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log.info(
    `backtest ${config.region} ${result.mode} ${bars.calendar[result.start]} .. ${bars.calendar[result.end]}: ` +
      `net Sharpe ${metrics.net.sharpe.toFixed(2)}, annual return ${(metrics.net.annual_return * 100).toFixed(2)} % ` +
      `(gross ${(metrics.gross.annual_return * 100).toFixed(2)} %), max drawdown ${(metrics.net.max_drawdown * 100).toFixed(1)} %; ` +
      `${result.rebalances.length} rebalances ${JSON.stringify(backtest.decisionCounts)}; ${seconds}s → ${outDir} (${written.length} files)`,
  );
}

function frames(
  config: RegionConfig,
  bars: BarPanel,
  hasSharesOut: boolean,
  members: MemberOracle | null,
  quiet?: boolean,
): { features: FeatureFrame; labels: LabelFrame } {
  const names = config.features.names.filter((n) => hasSharesOut || n !== 'turnover_20') as FeatureName[];
  const bar = new Progress('features', bars.calendar.length, { unit: 'dates', quiet });
  const features = computeFeatureFrame(
    bars,
    {
      features: names,
      minIndustrySize: config.features.min_industry_size,
      ffillLimit: config.features.ffill_limit,
      winsorize: config.features.winsorize,
      membership: members,
      workers: config.features.workers === 0 ? undefined : config.features.workers,
    },
    () => bar.tick(),
  );
  bar.finish();
  const labels = computeLabelFrame(bars, {
    horizons: config.labels.horizons,
    ffillLimit: config.features.ffill_limit,
    membership: members,
  });
  return { features, labels };
}

/** Benchmark members: the feature frame's real rows (the model's universe on each date). */
function memberMatrix(frame: FeatureFrame): Uint8Array {
  const N = frame.instruments.length;
  const m = new Uint8Array(frame.calendar.length * N);
  for (let r = 0; r < frame.length; r++)
    if (frame.carried[r] === 0) m[frame.date[r] * N + frame.instrument[r]] = 1;
  return m;
}

function settingsOf(config: RegionConfig): Record<string, unknown> {
  const p = config.portfolio;
  return {
    mode: p.mode,
    rebalance_every: p.rebalance_every,
    lambda: p.lambda,
    gross: p.gross,
    max_weight: p.max_weight,
    active_max: p.active_max,
    industry_bound: p.industry_bound,
    style_bound: p.style_bound,
    max_turnover: p.max_turnover,
    cost_bps: p.cost_bps,
    retrain_every: p.retrain_every,
    min_train_dates: p.min_train_dates,
  };
}

function isoFlag(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new InputError(`${name} "${value}" is not a date written YYYY-MM-DD`);
  return value;
}

function threadsFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new InputError(`--nthread must be an integer >= 0 (0 = all cores), got "${text}"`);
  return n;
}

function positionOnOrAfter(calendar: readonly string[], iso: string, flag: string): number {
  const d = calendar.findIndex((c) => c >= iso);
  if (d < 0)
    throw new InputError(
      `${flag} ${iso} is after the last date of the data (${calendar[calendar.length - 1]}); pick an earlier date`,
    );
  return d;
}

function positionOnOrBefore(calendar: readonly string[], iso: string, flag: string): number {
  let d = calendar.length - 1;
  while (d >= 0 && calendar[d] > iso) d--;
  if (d < 0)
    throw new InputError(
      `${flag} ${iso} is before the first date of the data (${calendar[0]}); pick a later date`,
    );
  return d;
}
