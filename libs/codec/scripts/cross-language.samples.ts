/**
 * Step 1 of the cross-language fixture (see cross-language.py): encodes the
 * sample events with our codec and writes their bytes as hex to stdout.
 * Run: node libs/codec/scripts/ts-run.js libs/codec/scripts/cross-language.samples.ts [--samples] > file.json
 */
import { loadEventCodecs } from '../src';
import { CROSS_LANGUAGE_SAMPLES, sampleValue } from '../src/fixtures/cross-language.samples';

const codecs = loadEventCodecs();
const out = CROSS_LANGUAGE_SAMPLES.map(({ schema, value }) => ({
  schema,
  hex: codecs.schemas.codec(schema).encode(sampleValue({ schema, value })).toString('hex'),
}));
// With --samples, print the sample values themselves (Python's input) instead.
process.stdout.write(
  process.argv.includes('--samples') ? JSON.stringify(CROSS_LANGUAGE_SAMPLES) : JSON.stringify(out, null, 1),
);
