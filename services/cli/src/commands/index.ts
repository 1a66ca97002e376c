import type { Command } from 'commander';
import { registerBacktestCommand } from './backtest.command';
import { registerDemoCommand } from './demo.command';
import { registerFeaturesCommand } from './features.command';
import { registerReplayCommand } from './replay.command';
import { registerReportCommand } from './report.command';
import { registerServeCommand } from './serve.command';
import { registerTailCommand } from './tail.command';
import { registerTrainCommand } from './train.command';

/** Adds every subcommand to the program. */
export function registerCommands(program: Command): void {
  registerFeaturesCommand(program);
  registerTrainCommand(program);
  registerReplayCommand(program);
  registerServeCommand(program);
  registerTailCommand(program);
  registerDemoCommand(program);
  registerBacktestCommand(program);
  registerReportCommand(program);
}
