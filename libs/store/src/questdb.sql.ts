import { parseIsoDay } from '@alphafeed/core';
import { StoreError } from './errors';
import type { ReadQuery, TableSpec } from './store.port';

/**
 * SQL text for the QuestDB adapter. Identifiers are validated (not escaped)
 * because QuestDB names are case-insensitive and a few characters are not
 * allowed in them at all; string values are escaped as SQL literals.
 */

/** Columns every table has; a spec may not reuse these names. */
export const KEY_COLUMNS = ['ts', 'region', 'instrument'] as const;

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,126}$/;

export function checkIdentifier(what: string, name: string): void {
  if (!IDENT.test(name)) {
    throw new StoreError(
      'STORE_BAD_NAME',
      `${what} '${name}' is not a valid name; use letters, digits and '_' (not starting with a digit), at most 127 characters`,
    );
  }
}

/** Checks the whole spec once; returns the lower-cased names for case-insensitive lookups. */
export function checkTableSpec(spec: TableSpec): void {
  checkIdentifier('table name', spec.name);
  const seen = new Set<string>(KEY_COLUMNS);
  const add = (what: string, name: string) => {
    checkIdentifier(what, name);
    const lower = name.toLowerCase();
    if (seen.has(lower)) {
      throw new StoreError(
        'STORE_BAD_NAME',
        `table ${spec.name}: ${what} '${name}' clashes with another column (names are case-insensitive; ${[...KEY_COLUMNS].join(', ')} are reserved)`,
      );
    }
    seen.add(lower);
  };
  for (const t of spec.tags) add('tag', t);
  for (const c of spec.columns) {
    add('column', c.name);
    if (c.kind !== 'double' && c.kind !== 'long')
      throw new StoreError(
        'STORE_BAD_SPEC',
        `table ${spec.name}: column ${c.name} has kind '${String(c.kind)}'; expected 'double' or 'long'`,
      );
  }
  for (const k of spec.extraKeys) {
    if (!spec.tags.includes(k))
      throw new StoreError(
        'STORE_BAD_SPEC',
        `table ${spec.name}: extra key '${k}' is not one of its tags (${spec.tags.join(', ') || 'none'})`,
      );
  }
}

export function sqlType(kind: 'double' | 'long'): string {
  return kind === 'double' ? 'DOUBLE' : 'LONG';
}

/**
 * A WAL table partitioned by month with DEDUP UPSERT on the row key, so that
 * re-writing a row replaces it: replaying input leaves the same state.
 */
export function createTableSql(spec: TableSpec): string {
  const cols = ['ts TIMESTAMP', 'region SYMBOL', 'instrument SYMBOL'];
  for (const t of spec.tags) cols.push(`${t} SYMBOL`);
  for (const c of spec.columns) cols.push(`${c.name} ${sqlType(c.kind)}`);
  const keys = ['ts', 'region', 'instrument', ...spec.extraKeys].join(', ');
  return `CREATE TABLE IF NOT EXISTS ${spec.name} (${cols.join(', ')}) TIMESTAMP(ts) PARTITION BY MONTH WAL DEDUP UPSERT KEYS(${keys})`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const US_PER_DAY = 86_400_000_000;

/** The select list read() parses, in order: day, instrument, [tags], [numeric columns]. */
export interface ReadPlan {
  readonly sql: string;
  /** Tags selected (those the query does not fix). */
  readonly tagColumns: readonly string[];
  readonly numericColumns: readonly string[];
  /**
   * The query leaves an extra key open, so two rows may share (date,
   * instrument); one KeyedColumns cannot tell them apart, so that is an error
   * (as in the embedded store).
   */
  readonly mayBeAmbiguous: boolean;
}

export function readPlan(spec: TableSpec, query: ReadQuery): ReadPlan {
  const where = [`region = ${literal(query.region)}`];
  const dayBound = (what: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const day = parseIsoDay(text);
    if (Number.isNaN(day))
      throw new StoreError(
        'STORE_BAD_QUERY',
        `read ${spec.name}: '${what}' must be an ISO date YYYY-MM-DD, got '${text}'`,
      );
    return day;
  };
  const from = dayBound('from', query.from);
  const to = dayBound('to', query.to);
  // Bounds as timestamps in microseconds: no string parsing on the server, and
  // the designated-timestamp filter prunes partitions.
  if (from !== undefined) where.push(`ts >= ${from * US_PER_DAY}::timestamp`);
  if (to !== undefined) where.push(`ts <= ${to * US_PER_DAY}::timestamp`);
  const fixed = query.tags ?? {};
  for (const [tag, value] of Object.entries(fixed)) {
    if (!spec.tags.includes(tag)) {
      throw new StoreError(
        'STORE_BAD_QUERY',
        `read ${spec.name}: no tag column '${tag}' (tags: ${spec.tags.join(', ') || 'none'})`,
      );
    }
    where.push(`${tag} = ${literal(value)}`);
  }
  const tagColumns = spec.tags.filter((t) => !(t in fixed));
  const numericColumns = spec.columns.map((c) => c.name);
  const mayBeAmbiguous = spec.extraKeys.some((k) => !(k in fixed));
  const select = [
    `cast(ts AS LONG) / ${US_PER_DAY}L AS day`,
    'instrument',
    ...tagColumns,
    ...numericColumns,
  ].join(', ');
  return {
    sql: `SELECT ${select} FROM ${spec.name} WHERE ${where.join(' AND ')} ORDER BY ts, instrument`,
    tagColumns,
    numericColumns,
    mayBeAmbiguous,
  };
}
