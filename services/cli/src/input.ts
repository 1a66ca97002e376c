/**
 * What every batch command starts with: the validated region config and the
 * bars of its source, with rejects written next to the command's output and
 * summarised on the console.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { Progress } from '@alphafeed/core';
import { admissionOptions, configHash, loadConfig, overrideConfig } from '@alphafeed/config';
import type { RegionConfig } from '@alphafeed/config';
import { loadBars, parseSourceSpec } from '@alphafeed/data';
import type { LoadResult, SyntheticOptions } from '@alphafeed/data';
import { createLogger } from '@alphafeed/ops';
import type { Logger } from '@alphafeed/ops';

export interface InputFlags {
  readonly config: string;
  readonly source?: string;
  readonly debug?: boolean;
  readonly quiet?: boolean;
}

export interface CommandInput {
  readonly config: RegionConfig;
  readonly configHash: string;
  /** The CLI's log (stderr, so stdout stays clean for data): every line carries region, config_hash, git sha. */
  readonly log: Logger;
}

/** Loads and validates the config (before any work), applying CLI overrides. */
export function loadCommandConfig(command: string, flags: InputFlags): CommandInput {
  let config = loadConfig(flags.config);
  const patch: Record<string, unknown> = {};
  if (flags.source !== undefined) patch.data = { source: flags.source };
  if (flags.debug) patch.debug = true;
  if (Object.keys(patch).length > 0) config = overrideConfig(config, patch, 'command line');
  const hash = configHash(config);
  const log = createLogger({
    service: 'cli',
    region: config.region,
    configHash: hash,
    level: config.log_level,
  });
  log.info(`${command}: region=${config.region} config_hash=${hash.slice(0, 12)} seed=${config.seed}`, {
    command,
    seed: config.seed,
  });
  return { config, configHash: hash, log };
}

/** The generator options a config asks for. */
export function syntheticOptions(config: RegionConfig): SyntheticOptions {
  const s = config.data.synthetic;
  return {
    region: config.region,
    seed: s.seed,
    instruments: s.instruments,
    years: s.years,
    startDate: s.start_date,
    signalStrength: s.signal_strength,
  };
}

/** Reads the config's bar source; rejects go to `<outDir>/rejects.csv`. */
export async function loadCommandBars(
  input: CommandInput,
  outDir: string,
  quiet = false,
): Promise<LoadResult> {
  const { config, log } = input;
  mkdirSync(outDir, { recursive: true });
  const spec = parseSourceSpec(config.data.source);
  let progress: Progress | undefined;
  const admission = admissionOptions(config);
  const result = await loadBars(spec, {
    admission: admission.limits,
    timezone: admission.timezone,
    region: config.region,
    industryTable: config.data.industry_table ?? undefined,
    universeTable: config.data.universe_table ?? undefined,
    maxRejectRatio: config.data.max_reject_ratio,
    rejectsPath: join(outDir, 'rejects.csv'),
    synthetic: syntheticOptions(config),
    onProgress: (done, total) => {
      progress ??= new Progress('read', total, { quiet });
      progress.update(done);
    },
  });
  progress?.finish();
  const { panel, rejects } = result;
  log.info(
    `read ${config.data.source}: ${panel.length} bars, ${panel.instruments.length} instruments, ` +
      `${panel.calendar.length} dates (${panel.calendar[0]} .. ${panel.calendar[panel.calendar.length - 1]})`,
  );
  if (result.membership !== null) {
    log.info(
      `universe from ${result.membership.source}: ${result.outsideUniverse} bars of non-members on their date ` +
        'feed only their own history (no row, not in any cross-section)',
    );
  }
  if (rejects.rejected > 0) {
    const reasons = Object.entries(rejects.byReason)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason}=${n}`)
      .join(' ');
    log.warn(`rejected ${rejects.rejected} of ${rejects.rowsRead} rows (${reasons}); see ${rejects.path}`);
  }
  return result;
}
