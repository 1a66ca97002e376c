import * as avro from 'avsc';
import { parsingCanonicalForm, schemaFingerprint } from './canonical-form';
import { CRC64_AVRO_EMPTY, crc64Avro, fingerprintBytes, toSignedFingerprint } from './crc64-avro';

/**
 * Apache Avro's published vectors (share/test/data/schema-tests.txt):
 * input schema, its Parsing Canonical Form, and the CRC-64-AVRO fingerprint
 * as a signed long. Inputs avsc rejects (an empty union, a string default on
 * a boolean) are checked on the canonical form only.
 */
const VECTORS: readonly { input: string; canonical: string; fingerprint: string; avscParses?: false }[] = [
  { input: '"null"', canonical: '"null"', fingerprint: '7195948357588979594' },
  { input: '{"type":"null"}', canonical: '"null"', fingerprint: '7195948357588979594' },
  { input: '"boolean"', canonical: '"boolean"', fingerprint: '-6970731678124411036' },
  { input: '"int"', canonical: '"int"', fingerprint: '8247732601305521295' },
  { input: '{"type":"int"}', canonical: '"int"', fingerprint: '8247732601305521295' },
  { input: '"long"', canonical: '"long"', fingerprint: '-3434872931120570953' },
  { input: '"float"', canonical: '"float"', fingerprint: '5583340709985441680' },
  { input: '"double"', canonical: '"double"', fingerprint: '-8181574048448539266' },
  { input: '"bytes"', canonical: '"bytes"', fingerprint: '5746618253357095269' },
  { input: '"string"', canonical: '"string"', fingerprint: '-8142146995180207161' },
  { input: '[  ]', canonical: '[]', fingerprint: '-1241056759729112623', avscParses: false },
  { input: '[ "int"  ]', canonical: '["int"]', fingerprint: '-5232228896498058493' },
  {
    input: '[ "int" , {"type":"boolean"} ]',
    canonical: '["int","boolean"]',
    fingerprint: '5392556393470105090',
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo"}',
    canonical: '{"name":"foo","type":"record","fields":[]}',
    fingerprint: '-4824392279771201922',
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo", "namespace":"x.y"}',
    canonical: '{"name":"x.y.foo","type":"record","fields":[]}',
    fingerprint: '5916914534497305771',
  },
  {
    input: '{"fields":[], "type":"record", "name":"a.b.foo", "namespace":"x.y"}',
    canonical: '{"name":"a.b.foo","type":"record","fields":[]}',
    fingerprint: '-4616218487480524110',
  },
  {
    input: '{"fields":[], "type":"record", "name":"foo", "doc":"foo", "aliases":["foo","bar"]}',
    canonical: '{"name":"foo","type":"record","fields":[]}',
    fingerprint: '-4824392279771201922',
  },
  {
    input: '{"fields":[{"type":{"type":"boolean"}, "name":"f1"}], "type":"record", "name":"foo"}',
    canonical: '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"}]}',
    fingerprint: '7843277075252814651',
  },
  {
    input:
      '{"fields":[{"type":"boolean","aliases":[],"name":"f1","default":"true"},{"order":"descending","name":"f2","doc":"Hello","type":"int"}],"type":"record","name":"foo"}',
    canonical:
      '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    fingerprint: '-4860222112080293046',
    avscParses: false,
  },
  {
    input:
      '{"fields":[{"type":"boolean","aliases":[],"name":"f1","default":true},{"order":"descending","name":"f2","doc":"Hello","type":"int"}],"type":"record","name":"foo"}',
    canonical:
      '{"name":"foo","type":"record","fields":[{"name":"f1","type":"boolean"},{"name":"f2","type":"int"}]}',
    fingerprint: '-4860222112080293046',
  },
  {
    input: '{"type":"enum", "name":"foo", "symbols":["A1"]}',
    canonical: '{"name":"foo","type":"enum","symbols":["A1"]}',
    fingerprint: '-6342190197741309591',
  },
  {
    input: '{"namespace":"x.y.z", "type":"enum", "name":"foo", "doc":"foo bar", "symbols":["A1", "A2"]}',
    canonical: '{"name":"x.y.z.foo","type":"enum","symbols":["A1","A2"]}',
    fingerprint: '-4448647247586288245',
  },
  {
    input: '{"name":"foo","type":"fixed","size":15}',
    canonical: '{"name":"foo","type":"fixed","size":15}',
    fingerprint: '1756455273707447556',
  },
  {
    input: '{"namespace":"x.y.z", "type":"fixed", "name":"foo", "doc":"foo bar", "size":32}',
    canonical: '{"name":"x.y.z.foo","type":"fixed","size":32}',
    fingerprint: '-3064184465700546786',
  },
  {
    input: '{ "items":{"type":"null"}, "type":"array"}',
    canonical: '{"type":"array","items":"null"}',
    fingerprint: '-589620603366471059',
  },
  {
    input: '{ "values":"string", "type":"map"}',
    canonical: '{"type":"map","values":"string"}',
    fingerprint: '-8732877298790414990',
  },
  {
    input:
      '{"name":"PigValue","type":"record","fields":[{"name":"value", "type":["null", "int", "long", "PigValue"]}]}',
    canonical:
      '{"name":"PigValue","type":"record","fields":[{"name":"value","type":["null","int","long","PigValue"]}]}',
    fingerprint: '-1759257747318642341',
  },
];

/** The naive twin: the Rabin fingerprint bit by bit, straight from the spec's reference loop, no table. */
function crc64Naive(bytes: Uint8Array): bigint {
  let fp = CRC64_AVRO_EMPTY;
  for (const b of bytes) {
    fp ^= BigInt(b);
    for (let k = 0; k < 8; k++) fp = fp & 1n ? (fp >> 1n) ^ CRC64_AVRO_EMPTY : fp >> 1n;
  }
  return fp;
}

describe('crc64Avro', () => {
  it.each(VECTORS)('fingerprints $canonical as the Avro test vectors do', ({ canonical, fingerprint }) => {
    const fp = crc64Avro(Buffer.from(canonical, 'utf8'));
    expect(toSignedFingerprint(fp).toString()).toBe(fingerprint);
    expect(fp).toBeGreaterThanOrEqual(0n);
  });

  it('matches the naive bitwise twin on random bytes', () => {
    let seed = 7;
    for (let n = 0; n < 64; n++) {
      const bytes = new Uint8Array(n * 3);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
      expect(crc64Avro(bytes)).toBe(crc64Naive(bytes));
    }
  });

  it('returns EMPTY for no bytes', () => {
    expect(crc64Avro(new Uint8Array(0))).toBe(0xc15d213aa4d7a795n);
  });

  it('lays the fingerprint out little-endian as the single-object header does', () => {
    // The Avro Ruby test vector for "int": header c3 01 8f 5c 39 3f 1a d5 75 72.
    expect(fingerprintBytes(8247732601305521295n).toString('hex')).toBe('8f5c393f1ad57572');
  });
});

describe('parsingCanonicalForm (avsc Type#schema)', () => {
  it.each(VECTORS.filter((v) => v.avscParses !== false))(
    'turns $input into the spec canonical form',
    ({ input, canonical, fingerprint }) => {
      const type = avro.Type.forSchema(JSON.parse(input) as avro.Schema);
      expect(parsingCanonicalForm(type)).toBe(canonical);
      expect(toSignedFingerprint(schemaFingerprint(type)).toString()).toBe(fingerprint);
    },
  );

  it('strips logical types, docs and defaults', () => {
    const type = avro.Type.forSchema({
      type: 'record',
      name: 'T',
      namespace: 'n',
      doc: 'd',
      fields: [
        { name: 'd', type: { type: 'int', logicalType: 'date' }, doc: 'x' },
        { name: 't', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'o', type: ['null', 'double'], default: null },
      ],
    } as avro.Schema);
    expect(parsingCanonicalForm(type)).toBe(
      '{"name":"n.T","type":"record","fields":[{"name":"d","type":"int"},{"name":"t","type":"long"},{"name":"o","type":["null","double"]}]}',
    );
  });
});
