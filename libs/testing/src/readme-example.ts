import { readFileSync } from 'node:fs';
import { transformSync } from '@swc/core';

export interface ReadmeExample {
  /** The first ```ts block of the README, as written. */
  readonly source: string;
  /** One entry per console.log call, formatted by `format`. */
  readonly printed: string[];
  /**
   * What the block's comments claim each console.log prints: the comment
   * after `); // ` up to an explanatory ':'.
   */
  readonly claimed: string[];
}

/**
 * Runs the opening example of a lib's README as written: transpiled with
 * swc, `require` answering only the given modules (the alphafeed libs, mapped
 * to their sources), `console.log` captured. A README example that drifts
 * from the code fails its spec instead of misleading a reader.
 */
export function runReadmeExample(
  readmePath: string,
  modules: Readonly<Record<string, unknown>>,
  format: (args: unknown[]) => string = (args) => args.map(String).join(' '),
): ReadmeExample {
  const example = prepare(readmePath, modules, format);
  new Function('require', 'exports', 'console', example.code)(...example.args);
  return example.result;
}

/**
 * `runReadmeExample` for an example that uses top-level `await` (a lib with
 * an async API, e.g. Parquet I/O): the block runs as the body of an async
 * function, and the promise settles when it has finished.
 */
export async function runReadmeExampleAsync(
  readmePath: string,
  modules: Readonly<Record<string, unknown>>,
  format: (args: unknown[]) => string = (args) => args.map(String).join(' '),
): Promise<ReadmeExample> {
  const example = prepare(readmePath, modules, format);
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
    ...params: string[]
  ) => (...args: unknown[]) => Promise<void>;
  await new AsyncFunction('require', 'exports', 'console', example.code)(...example.args);
  return example.result;
}

function prepare(
  readmePath: string,
  modules: Readonly<Record<string, unknown>>,
  format: (args: unknown[]) => string,
): { code: string; args: unknown[]; result: ReadmeExample } {
  const block = /```ts\n([\s\S]*?)```/.exec(readFileSync(readmePath, 'utf8'));
  if (block === null) throw new Error(`${readmePath} has no \`\`\`ts example block`);
  const source = block[1];
  const { code } = transformSync(source, {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  const printed: string[] = [];
  const fakeConsole = { log: (...args: unknown[]) => printed.push(format(args)) };
  const fakeRequire = (name: string): unknown => {
    if (name in modules) return modules[name];
    throw new Error(`the README example may only import ${Object.keys(modules).join(', ')}, not ${name}`);
  };
  const claimed = source
    .split('\n')
    .filter((l) => l.includes('console.log('))
    .map((l) => l.split('); // ')[1]?.split(':')[0].trim() ?? '');
  return { code, args: [fakeRequire, {}, fakeConsole], result: { source, printed, claimed } };
}

/** `format` for examples that print typed arrays: JSON, typed arrays as plain arrays. */
export function jsonWithArrays(args: unknown[]): string {
  return JSON.stringify(args, (_k, v: unknown) => (ArrayBuffer.isView(v) ? [...(v as Float64Array)] : v));
}
