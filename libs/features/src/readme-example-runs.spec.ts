/**
 * The README's opening example is executed as written (transpiled with swc,
 * the alphafeed imports mapped to the libs) and prints what its comments claim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import * as core from '@alphafeed/core';
import * as features from '@alphafeed/features';

function runReadmeExample(): string[] {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  expect(block).not.toBeNull();
  const { code } = transformSync((block as RegExpExecArray)[1], {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const printed: string[] = [];
  const fakeConsole = {
    log: (...args: unknown[]) =>
      printed.push(JSON.stringify(args, (_k, v) => (ArrayBuffer.isView(v) ? [...(v as Float64Array)] : v))),
  };
  const modules: Record<string, unknown> = {
    '@alphafeed/core': core,
    '@alphafeed/features': features,
  };
  const fakeRequire = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new Error(`the README example may only import alphafeed libs, not ${name}`);
  };
  new Function('require', 'exports', 'console', code)(fakeRequire, {}, fakeConsole);
  return printed;
}

it('runs the README example and prints the commented values', () => {
  const printed = runReadmeExample().map((line) => JSON.parse(line) as unknown[]);
  // 12 model names without turnover_20, no row after the NaN drop; the streaming engine agrees.
  expect(printed).toEqual([[features.modelFeatureNames(false), 0], [0]]);
  expect((printed[0][0] as string[]).length).toBe(12);
});
