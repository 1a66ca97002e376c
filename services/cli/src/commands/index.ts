import type { Command } from 'commander';
import { registerDemoCommand } from './demo.command';
import { registerFeaturesCommand } from './features.command';
import { registerReplayCommand } from './replay.command';
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
}
