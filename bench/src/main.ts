/**
 * `npm run bench -- <name> [args]`: runs one benchmark suite and prints its
 * figures. Suites live beside this file as `<name>.bench.ts` and export `run`.
 */
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const file = name ? resolve(__dirname, `${name}.bench.js`) : '';
  if (!name || !existsSync(file)) {
    process.stderr.write(
      `usage: npm run bench -- <suite> [args]; suites: features, parquet, train, stream, pit, portfolio, portfolio-solvers, backtest\n`,
    );
    process.exit(2);
  }
  const suite = (await import(file)) as { run(args: string[]): Promise<void> };
  await suite.run(args);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
