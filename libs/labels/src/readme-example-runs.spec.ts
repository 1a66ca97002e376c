/**
 * The README's opening example is executed as written (transpiled with swc,
 * the alphafeed imports mapped to the libs) and prints what its comments claim.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transformSync } from '@swc/core';
import * as core from '@alphafeed/core';
import * as labels from '@alphafeed/labels';

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
    '@alphafeed/labels': labels,
  };
  const fakeRequire = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new Error(`the README example may only import alphafeed libs, not ${name}`);
  };
  new Function('require', 'exports', 'console', code)(fakeRequire, {}, fakeConsole);
  return printed;
}

it('runs the README example and prints the commented values', () => {
  const [labelLine, stepLine] = runReadmeExample().map((line) => JSON.parse(line) as unknown[]);
  const values = labelLine[0] as (number | null)[];
  // AAA at t = 0: (0.1 - 0.05) + (0 - 0.05) = 0; the last two dates have no t + 2 (NaN, printed as null).
  expect(values[0]).toBeCloseTo(0, 15);
  expect(values.slice(4)).toEqual([null, null, null, null]);
  expect(stepLine).toEqual([2, 0]);
});
