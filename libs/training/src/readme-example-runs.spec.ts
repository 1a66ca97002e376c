/**
 * The README's opening example is executed as written (transpiled with swc,
 * the alphafeed imports mapped to the libs) and prints what its comments
 * claim; the temporary directory it writes is removed afterwards.
 */
import { readFileSync, rmSync } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import * as config from '@alphafeed/config';
import * as data from '@alphafeed/data';
import * as features from '@alphafeed/features';
import * as labels from '@alphafeed/labels';
import * as training from './index';

const ROOT = join(__dirname, '../../..');

it('runs the README example and prints the commented values', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  expect(block).not.toBeNull();
  const source = (block as RegExpExecArray)[1];
  const { code } = transformSync(source, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const printed: string[] = [];
  const fakeConsole = { log: (...args: unknown[]) => printed.push(args.map(String).join(' ')) };
  const made: string[] = [];
  const modules: Record<string, unknown> = {
    '@alphafeed/config': {
      ...config,
      loadConfig: (p: string) => config.loadConfig(join(ROOT, p)),
    },
    '@alphafeed/data': data,
    '@alphafeed/features': features,
    '@alphafeed/labels': labels,
    '@alphafeed/training': training,
    'node:fs': {
      ...fs,
      mkdtempSync: (prefix: string) => {
        const dir = fs.mkdtempSync(prefix);
        made.push(dir);
        return dir;
      },
    },
    'node:os': os,
    'node:path': path,
  };
  const fakeRequire = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new Error(`the README example may only import alphafeed libs and node:fs/os/path, not ${name}`);
  };
  try {
    new Function('require', 'exports', 'console', code)(fakeRequire, {}, fakeConsole);
  } finally {
    made.forEach((d) => rmSync(d, { recursive: true, force: true }));
  }
  const claimed = source
    .split('\n')
    .filter((l) => l.includes('console.log('))
    .map((l) => l.split('); // ')[1].split(':')[0].trim());
  expect(printed).toEqual(claimed);
});
