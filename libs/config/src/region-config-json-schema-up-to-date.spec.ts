import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { regionConfigJsonSchema } from './region-config.json-schema';

const FILE = join(__dirname, '../../../schemas/region-config.schema.json');

describe('schemas/region-config.schema.json', () => {
  it('is the JSON Schema the zod schema derives (regenerate with `npm run schemas`)', () => {
    const committed = JSON.parse(readFileSync(FILE, 'utf8')) as unknown;
    expect(committed).toEqual(regionConfigJsonSchema());
  });
});
