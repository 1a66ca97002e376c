import { readFileSync } from 'node:fs';

import { HASH_EXCLUDED_KEYS } from './config-hash';
import { parseConfig } from './load-config';
import { regionConfigSchema } from './region-config.schema';
import { leafPaths } from './schema-keys';

const DOC = `${__dirname}/../../../docs/config.md`;

/** The rows of the reference table: key → its "hash" column. */
function documentedKeys(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^\| `([a-z0-9_.]+)` +\|.*\| (yes|no|mixed) +\|$/.exec(line);
    if (m !== null) rows.set(m[1], m[2]);
  }
  return rows;
}

describe('docs/config.md documents exactly the schema', () => {
  const documented = documentedKeys();
  const schemaKeys = leafPaths(regionConfigSchema);

  it('has a row for every key of the schema', () => {
    expect(schemaKeys.filter((k) => !documented.has(k))).toEqual([]);
  });

  it('has no row for a key the schema does not have', () => {
    expect([...documented.keys()].filter((k) => !schemaKeys.includes(k))).toEqual([]);
  });

  it('marks exactly the keys configHash excludes as not hashed', () => {
    const excluded = (key: string): boolean =>
      Object.keys(HASH_EXCLUDED_KEYS).some((p) => key === p || key.startsWith(`${p}.`));
    const leaves = schemaKeys.filter((k) => !schemaKeys.some((other) => other.startsWith(`${k}.`)));
    const expectedMark = (key: string): string => {
      const under = leaves.filter((l) => l === key || l.startsWith(`${key}.`)).map(excluded);
      return under.every((x) => x) ? 'no' : under.every((x) => !x) ? 'yes' : 'mixed';
    };
    const wrong = schemaKeys.filter((k) => documented.get(k) !== expectedMark(k));
    expect(wrong).toEqual([]);
  });
});

describe('docs/config.md shows the defaults the schema fills', () => {
  const defaults = { us: parseConfig({ region: 'us' }, 'us'), cn: parseConfig({ region: 'cn' }, 'cn') };

  /** key → its "default" cell, for every row of the table. */
  const cells = new Map<string, string>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const cols = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const key = /^`([a-z0-9_.]+)`$/.exec(cols[1] ?? '');
    if (key !== null) cells.set(key[1], cols[3]);
  }

  const valueAt = (obj: unknown, path: string): unknown =>
    path
      .split('.')
      .reduce<unknown>(
        (v, k) => (v === null || typeof v !== 'object' ? undefined : (v as Record<string, unknown>)[k]),
        obj,
      );

  /** The documented default of a region: `us: \`x\` / cn: \`y\``, or the first `x` for both. */
  const documented = (cell: string, region: 'us' | 'cn'): string | undefined => {
    const split = new RegExp(`${region}: \`([^\`]*)\``).exec(cell);
    if (split !== null) return split[1];
    if (/\b(us|cn):/.test(cell)) return undefined;
    return /`([^`]*)`/.exec(cell)?.[1];
  };

  it.each(leafPaths(regionConfigSchema).filter((k) => k !== 'region'))('%s', (key) => {
    for (const region of ['us', 'cn'] as const) {
      const value = valueAt(defaults[region], key);
      if (value === undefined || (value !== null && typeof value === 'object')) continue;
      const text = documented(cells.get(key) ?? '', region);
      if (text === undefined) continue;
      const unquoted = text.replace(/^"(.*)"$/, '$1');
      const same = typeof value === 'number' ? Number(unquoted) === value : String(value) === unquoted;
      if (!same)
        throw new Error(
          `${key} (${region}): docs/config.md says ${unquoted}, the schema fills ${String(value)}`,
        );
    }
  });
});
