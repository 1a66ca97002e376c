import type { z } from 'zod';

import { keysAt } from './schema-keys';

/**
 * Turns zod's first issue into the one message a user reads:
 * `<source>: <key.path> = <value> is not allowed: <reason>`.
 * Reasons written in the schema (`error: ...`) win; the map below words the
 * generic ones (type, range, enum, unknown key) in the same voice.
 */

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/** Per-parse error map: the reason for issues whose schema gave none. */
export function genericReason(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'must be an integer' : `must be ${article(String(issue.expected))}`;
    case 'too_small': {
      const op = issue.inclusive ? '>=' : '>';
      return issue.origin === 'array'
        ? `must have at least ${issue.minimum} item(s)`
        : `must be ${op} ${issue.minimum}`;
    }
    case 'too_big': {
      const op = issue.inclusive ? '<=' : '<';
      return issue.origin === 'array'
        ? `must have at most ${issue.maximum} item(s)`
        : `must be ${op} ${issue.maximum}`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return 'is not valid';
  }
}

function article(type: string): string {
  if (type === 'object') return 'a mapping of keys';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** `features.names[3]` from `['features', 'names', 3]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** A value as the user wrote it, short enough for one line. */
export function formatValue(value: unknown): string {
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (typeof value === 'number' && !Number.isFinite(value)) text = String(value);
  else text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key as string];
  }
  return v;
}

/** The key path and the full message for an issue. */
export function describeIssue(
  issue: Issue,
  input: unknown,
  source: string,
  schema: z.core.$ZodType,
): { keyPath: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const path = [...issue.path, key];
    const valid = keysAt(schema, issue.path);
    const near = nearest(key, valid);
    const hint = near === null ? '' : `did you mean "${near}"? `;
    const where = issue.path.length === 0 ? 'at the top level' : `in ${formatPath(issue.path)}`;
    const keyPath = formatPath(path);
    return {
      keyPath,
      message: `${source}: ${keyPath} = ${formatValue(valueAt(input, path))} is not allowed: unknown key "${key}" ${where}; ${hint}valid keys are ${valid.join(', ')}`,
    };
  }
  const keyPath = formatPath(issue.path);
  const params = issue.code === 'custom' ? (issue.params as { value?: unknown } | undefined) : undefined;
  const value = params !== undefined && 'value' in params ? params.value : valueAt(input, issue.path);
  if (value === undefined) {
    return { keyPath, message: `${source}: ${keyPath} is missing: ${issue.message}` };
  }
  return {
    keyPath,
    message: `${source}: ${keyPath} = ${formatValue(value)} is not allowed: ${issue.message}`,
  };
}

/** The valid key closest to a misspelt one (Levenshtein, at most 3 edits or a shared prefix). */
export function nearest(key: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = levenshtein(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === null) return null;
  const prefixMatch = best.startsWith(key) || key.startsWith(best);
  return bestDistance <= Math.max(3, Math.floor(key.length / 3)) || prefixMatch ? best : null;
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
