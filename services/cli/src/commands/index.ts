import type { Command } from 'commander';
import { registerFeaturesCommand } from './features.command';

/** Adds every subcommand to the program. */
export function registerCommands(program: Command): void {
  registerFeaturesCommand(program);
}
