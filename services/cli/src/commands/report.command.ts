/**
 * `alphafeed report --config C`: the tear sheet of the region's last
 * backtest (data/backtest/<region>/) as one self-contained HTML file next to
 * it, report.html, written through a temporary file (never half a page).
 * The last trained model's CV fold scores and feature importance come from
 * data/model2/<region>/ when `train` has run; without it those two charts
 * are left out, and the log says so.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { backtestDir } from '@alphafeed/backtest';
import { buildReport, readReportInputs, REPORT_FILE, writeReport } from '@alphafeed/report';
import { loadCommandConfig } from '../input';

export interface ReportFlags {
  readonly config: string;
  readonly outData?: string;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'write data/backtest/<region>/report.html: the tear sheet of the last backtest (opens offline)',
    )
    .requiredOption('--config <path>', 'region config, e.g. config/us.yaml')
    .option('--out-data <dir>', 'root of data outputs (default: output.data_dir)')
    .action((flags: ReportFlags) => runReportCommand(flags));
}

export async function runReportCommand(flags: ReportFlags): Promise<void> {
  const { config, log } = loadCommandConfig('report', flags);
  const dataDir = flags.outData ?? config.output.data_dir;
  const dir = backtestDir(dataDir, config.region);
  const modelDir = join(dataDir, 'model2', config.region);
  const hasModel = existsSync(join(modelDir, 'cv_scores.jsonl'));
  if (!hasModel)
    log.warn(
      `no trained model in ${modelDir}: the CV-score and feature-importance charts are left out (run train first)`,
    );
  const inputs = await readReportInputs({ backtestDir: dir, modelDataDir: hasModel ? modelDir : null });
  const path = join(dir, REPORT_FILE);
  writeReport(buildReport(inputs), path);
  log.info(`report: ${path}`);
}
