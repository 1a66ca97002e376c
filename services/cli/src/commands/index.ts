import type { Command } from 'commander';
import { registerFeaturesCommand } from './features.command';
import { registerTrainCommand } from './train.command';

/** Adds every subcommand to the program. */
export function registerCommands(program: Command): void {
  registerFeaturesCommand(program);
  registerTrainCommand(program);
}
