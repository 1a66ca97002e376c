/**
 * The README's opening example is executed as written (transpiled with swc,
 * `@alphafeed/cv` mapped to this lib) and prints what its comments claim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import * as core from '@alphafeed/core';
import * as cv from './index';

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
  const fakeRequire = (name: string): unknown => {
    if (name === '@alphafeed/cv') return cv;
    if (name === '@alphafeed/core') return core;
    throw new Error(`the README example may only import alphafeed libs, not ${name}`);
  };
  new Function('require', 'exports', 'console', code)(fakeRequire, {}, fakeConsole);
  const claimed = source
    .split('\n')
    .filter((l) => l.includes('console.log('))
    // The value is the comment after the statement, up to an explanatory ':'.
    .map((l) => l.split('); // ')[1].split(':')[0].trim());
  expect(printed).toEqual(claimed);
});
