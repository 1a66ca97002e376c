/**
 * `alphafeed <command>`: one entry point for every job. Each command lives in
 * commands/<name>.command.ts and registers itself on the program. Errors from
 * bad input print one line (what was wrong, what to do) and exit 2; anything
 * else prints its stack and exits 1.
 */
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { AlphafeedError } from '@alphafeed/core';
import { registerCommands } from './commands';

export async function runCli(argv: readonly string[]): Promise<void> {
  const program = new Command('alphafeed')
    .description('Calibrated, leakage-free daily alpha forecasts from stock bars.')
    .exitOverride()
    .showHelpAfterError();
  registerCommands(program);
  await program.parseAsync(argv as string[], { from: 'user' });
}

/** Exit code and message for an error escaping a command. */
export function describeFailure(err: unknown): { code: number; message: string } {
  if (err instanceof CommanderError) return { code: err.exitCode === 0 ? 0 : 2, message: '' };
  if (err instanceof AlphafeedError && !err.retriable && err.code !== 'INTERNAL') {
    return { code: 2, message: `alphafeed: ${err.message}` };
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { code: 1, message: `alphafeed: unexpected failure: ${text}` };
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    () => undefined,
    (err: unknown) => {
      const { code, message } = describeFailure(err);
      if (message) process.stderr.write(`${message}\n`);
      process.exit(code);
    },
  );
}
