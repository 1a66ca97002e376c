import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEventCodecs } from './schema-set';
import { CROSS_LANGUAGE_SAMPLES, sampleValue } from './fixtures/cross-language.samples';

/**
 * The fixture was written once by scripts/cross-language.py with fastavro, a
 * generic Avro library that saw only schemas/*.avsc: its canonical forms and
 * fingerprints, its decoding of our messages, and its own encodings.
 */
interface Fixture {
  canonical: Record<string, string>;
  fingerprintUnsigned: Record<string, string>;
  fromNode: { schema: string; hex: string }[];
  decodedByPython: { schema: string; value: Record<string, unknown> }[];
  fromPython: { schema: string; hex: string }[];
}
const fixture = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'cross-language.json'), 'utf8'),
) as Fixture;
const codecs = loadEventCodecs();

describe('cross-language compatibility with fastavro', () => {
  it.each(Object.keys(fixture.canonical))(
    '%s has the canonical form and fingerprint fastavro computes',
    (name) => {
      const codec = codecs.schemas.codec(name);
      expect(codec.canonicalForm).toBe(fixture.canonical[name]);
      expect(codec.fingerprint.toString()).toBe(fixture.fingerprintUnsigned[name]);
    },
  );

  it('still encodes the samples to the bytes fastavro decoded', () => {
    expect(fixture.fromNode).toHaveLength(CROSS_LANGUAGE_SAMPLES.length);
    CROSS_LANGUAGE_SAMPLES.forEach((sample, i) => {
      expect(
        codecs.schemas
          .codec(sample.schema as string)
          .encode(sampleValue(sample))
          .toString('hex'),
      ).toBe(fixture.fromNode[i].hex);
      expect(fixture.decodedByPython[i].value).toEqual(sample.value);
    });
  });

  it('decodes the messages fastavro encoded, resolving the schema by fingerprint', () => {
    CROSS_LANGUAGE_SAMPLES.forEach((sample, i) => {
      const decoded = codecs.schemas.decode(Buffer.from(fixture.fromPython[i].hex, 'hex'));
      expect(decoded.schema).toBe(sample.schema);
      expect({ ...(decoded.value as object) }).toEqual(sampleValue(sample));
    });
  });
});
