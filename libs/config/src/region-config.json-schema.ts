/**
 * The region config as a JSON Schema (draft 2020-12), derived from the zod
 * schema so editors can validate and complete `config/*.yaml`. The zod schema
 * stays the authority: cross-field checks (e.g. winsorize lower < upper) are
 * not expressible here and run only in `loadConfig`.
 */
import { z } from 'zod';
import { regionConfigSchema } from './region-config.schema';

export function regionConfigJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(regionConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    $id: 'https://alphafeed.dev/schemas/region-config.schema.json',
    title: 'alphafeed region config',
  };
}
