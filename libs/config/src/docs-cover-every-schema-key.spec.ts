import { readFileSync } from 'node:fs';

import { HASH_EXCLUDED_KEYS } from './config-hash';
import { regionConfigSchema } from './region-config.schema';
import { leafPaths } from './schema-keys';

const DOC = `${__dirname}/../../../docs/config.md`;

/** The rows of the reference table: key → its "hash" column. */
function documentedKeys(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of readFileSync(DOC, 'utf8').split('\n')) {
    const m = /^\| `([a-z0-9_.]+)` \|.*\| (yes|no|mixed) \|$/.exec(line);
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
