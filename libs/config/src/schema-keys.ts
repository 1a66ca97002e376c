import type { z } from 'zod';

/**
 * Walks the zod schema's object shapes, so error messages can list the valid
 * keys at a path and the docs test can enumerate every leaf key. Wrappers
 * (default, prefault, optional, nullable, pipe/preprocess) are looked through.
 */

type AnySchema = z.core.$ZodType;

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (;;) {
    const def = s._zod.def as unknown as {
      type: string;
      innerType?: AnySchema;
      out?: AnySchema;
      in?: AnySchema;
    };
    if (
      def.innerType !== undefined &&
      ['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch'].includes(def.type)
    ) {
      s = def.innerType;
    } else if (def.type === 'pipe' && def.out !== undefined) {
      // preprocess(fn, inner) is a pipe from a transform into `inner`.
      s = def.out;
    } else {
      return s;
    }
  }
}

function shapeOf(schema: AnySchema): Record<string, AnySchema> | null {
  const s = unwrap(schema);
  const def = s._zod.def as unknown as { type: string; shape?: Record<string, AnySchema> };
  return def.type === 'object' && def.shape !== undefined ? def.shape : null;
}

/** The keys allowed in the object at `path` (numbers index into nothing: []). */
export function keysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  let shape = shapeOf(schema);
  for (const key of path) {
    if (shape === null || typeof key !== 'string' || !(key in shape)) return [];
    shape = shapeOf(shape[key]);
  }
  return shape === null ? [] : Object.keys(shape);
}

/**
 * Every leaf key path (`cv.embargo_days`); an object-valued key contributes
 * its own path and its children (`data.synthetic.price_limits` and
 * `data.synthetic.price_limits.main`). Arrays are leaves.
 */
export function leafPaths(schema: AnySchema, prefix = ''): string[] {
  const shape = shapeOf(schema);
  if (shape === null) return [prefix];
  const out: string[] = [];
  for (const [key, child] of Object.entries(shape)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (shapeOf(child) !== null) {
      out.push(path, ...leafPaths(child, path));
    } else {
      out.push(path);
    }
  }
  return out;
}
