#!/usr/bin/env node
// The `alphafeed` command: runs the tsc build of services/cli.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', '..', '..', 'dist', 'services', 'cli', 'src', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('alphafeed: not built yet; run `npm run build` (or `npm run setup`) first.\n');
  process.exit(2);
}
require(entry)
  .runCli(process.argv.slice(2))
  .catch((err) => {
    const { code, message } = require(entry).describeFailure(err);
    if (message) process.stderr.write(`${message}\n`);
    process.exit(code);
  });
