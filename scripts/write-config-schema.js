// Regenerates schemas/region-config.schema.json from the zod schema (after `npm run build`).
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { regionConfigJsonSchema } = require('../dist/libs/config/src/index.js');
const file = join(__dirname, '..', 'schemas', 'region-config.schema.json');
writeFileSync(file, `${JSON.stringify(regionConfigJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${file}\n`);
