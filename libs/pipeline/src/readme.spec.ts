/**
 * The README's opening example is executed as written (transpiled with swc,
 * the alphafeed libs mapped to their sources) and prints what its comments
 * claim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import * as bus from '@alphafeed/bus';
import * as codec from '@alphafeed/codec';
import * as core from '@alphafeed/core';
import * as pipeline from './index';

it('runs the README example and prints the commented values', async () => {
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
  const libs: Record<string, unknown> = {
    '@alphafeed/bus': bus,
    '@alphafeed/codec': codec,
    '@alphafeed/core': core,
    '@alphafeed/pipeline': pipeline,
  };
  const fakeRequire = (name: string): unknown => {
    if (name in libs) return libs[name];
    throw new Error(`the README example may only import alphafeed libs, not ${name}`);
  };
  const claimed = source
    .split('\n')
    .filter((l) => l.includes('console.log('))
    // The value is the comment after the statement, up to an explanatory ':'.
    .map((l) => l.split('); // ')[1].split(':')[0].trim());
  new Function('require', 'exports', 'console', code)(fakeRequire, {}, fakeConsole);
  const deadline = Date.now() + 5000;
  while (printed.length < claimed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  expect(printed).toEqual(claimed);
});
