import { readFileSync } from 'node:fs';

import { parseDocument } from 'yaml';

import { ConfigError } from './errors';
import { describeIssue, genericReason } from './format-issue';
import { withRegionDefaults } from './region-defaults';
import { regionConfigSchema, type RegionConfig } from './region-config.schema';

/**
 * Validates a region config (YAML text or an already-parsed object) into a
 * typed, deeply frozen `RegionConfig`: region defaults filled, then the
 * schema's defaults, dates normalised, cross-field checks run. The first
 * problem found is thrown as one `ConfigError`; nothing is half-applied.
 *
 * `source` names the config in messages (usually its path).
 */
export function parseConfig(input: string | object, source: string): RegionConfig {
  const raw = typeof input === 'string' ? parseYaml(input, source) : input;
  const filled = withRegionDefaults(raw);
  const result = regionConfigSchema.safeParse(filled, { error: genericReason });
  if (!result.success) {
    const { keyPath, message } = describeIssue(result.error.issues[0], filled, source, regionConfigSchema);
    throw new ConfigError(source, keyPath, message, { cause: result.error });
  }
  return deepFreeze(result.data);
}

/** Reads and validates the config file at `path` (see `parseConfig`). */
export function loadConfig(path: string): RegionConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason =
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((err as Error).message);
    throw new ConfigError(
      path,
      '',
      `${path}: cannot read the config file (${reason}); pass --config with a path such as config/us.yaml`,
      { cause: err },
    );
  }
  return parseConfig(text, path);
}

/**
 * A new validated config: `base` with `patch` deep-merged over it (objects
 * merge, arrays and scalars replace). For CLI flags such as `--source` or
 * `--debug`; the result goes through the same validation as a file.
 * Region defaults were filled when `base` was parsed, so switching `region`
 * here keeps the old region's clock and names: load the other file instead.
 */
export function overrideConfig(base: RegionConfig, patch: object, source = 'override'): RegionConfig {
  return parseConfig(merge(base, patch) as object, source);
}

function merge(base: unknown, patch: unknown): unknown {
  if (!isMergeable(base) || !isMergeable(patch)) return patch === undefined ? base : patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) out[key] = merge(out[key], value);
  return out;
}

function isMergeable(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * YAML 1.2 core schema: `2024-01-02` stays a string (no implicit timestamps),
 * `yes` stays a string, duplicate keys are an error.
 */
function parseYaml(text: string, source: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const error = doc.errors[0];
  if (error !== undefined) {
    const where =
      error.linePos?.[0] !== undefined
        ? ` (line ${error.linePos[0].line}, column ${error.linePos[0].col})`
        : '';
    const first = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(source, '', `${source}: not valid YAML${where}: ${first}`, { cause: error });
  }
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(
      source,
      '',
      `${source}: a config must be a YAML mapping of keys (starting with region: us|cn), found ${value === null ? 'an empty document' : Array.isArray(value) ? 'a list' : typeof value}`,
    );
  }
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
