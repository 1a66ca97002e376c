/**
 * An earlier version of a lib, for before/after figures measured back to
 * back in one process: `loadBaseline(commit, 'libs/features/src', 'index')`
 * extracts that folder at `commit` (`git archive`), compiles its TypeScript
 * with swc (transpile only, as the specs do) into
 * `dist/baseline/<commit>/<folder>` and requires the module. Its imports of
 * other libs (`@alphafeed/core`, ...) resolve to today's builds, so only the
 * extracted folder is old. Needs the git checkout (benchmarks run from one).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

export function loadBaseline<T>(commit: string, folder: string, entry: string): T {
  if (!/^[0-9a-zA-Z_./^~-]+$/.test(commit)) throw new RangeError(`not a commit: ${commit}`);
  const root = resolve(__dirname, '../..', '..');
  const sha = execFileSync('git', ['rev-parse', '--short', commit], { cwd: root, encoding: 'utf8' }).trim();
  const out = join(root, 'dist', 'baseline', sha);
  const source = join(out, 'src-ts');
  mkdirSync(source, { recursive: true });
  const archive = execFileSync('git', ['archive', sha, folder], { cwd: root, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', source], { input: archive });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const swc = require('@swc/core') as typeof import('@swc/core');
  for (const file of walk(join(source, folder))) {
    if (!file.endsWith('.ts') || file.endsWith('.spec.ts')) continue;
    const { code } = swc.transformSync(readFileSync(file, 'utf8'), {
      filename: file,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
    });
    const target = join(out, relative(source, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, code);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(out, folder, entry)) as T;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
