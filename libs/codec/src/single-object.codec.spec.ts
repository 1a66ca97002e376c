import * as avro from 'avsc';
import { CodecError } from './errors';
import type { AlphaEvent, BarEvent } from './events';
import { loadEventCodecs, loadSchemas, SchemaSet } from './schema-set';
import { SingleObjectCodec } from './single-object.codec';

const codecs = loadEventCodecs();

function bar(i: number): BarEvent {
  return {
    region: 'us',
    date: 19000 + (i % 300),
    instrument: `I${i % 5000}`,
    open: 10 + i,
    high: 11 + i,
    low: 9 + i,
    close: 10.5 + i,
    volume: 1000 * i,
    amount: i % 3 === 0 ? null : 1e6 + i,
    shares_out: i % 2 === 0 ? null : 5e8,
    factor: null,
    industry: i % 7 === 0 ? null : `ind${i % 11}`,
  };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CodecError);
    return (error as CodecError).code;
  }
  throw new Error('expected a CodecError');
}

describe('SingleObjectCodec', () => {
  it('frames a message as C3 01, the little-endian fingerprint, then the Avro body', () => {
    const msg = codecs.bar.encode(bar(1));
    expect(msg.subarray(0, 2).toString('hex')).toBe('c301');
    expect(msg.readBigUInt64LE(2)).toBe(codecs.bar.fingerprint);
    expect(msg.subarray(10).equals(codecs.bar.type.toBuffer(bar(1)))).toBe(true);
  });

  it('round-trips bars, including nulls, NaN and infinities', () => {
    const values = [bar(0), bar(1), { ...bar(2), open: NaN, high: Infinity, low: -Infinity, close: -0 }];
    for (const v of values) expect({ ...codecs.bar.decode(codecs.bar.encode(v)) }).toEqual(v);
    const back = codecs.bar.decode(codecs.bar.encode(values[2]));
    expect(Number.isNaN(back.open)).toBe(true);
    expect(Object.is(back.close, -0)).toBe(true);
  });

  it('round-trips every event type', () => {
    const alpha: AlphaEvent = {
      date: 19000,
      instrument: 'X',
      region: 'eu',
      alpha_21d: NaN,
      alpha_63d: 0.1,
      alpha_combined: 0.05,
      var_21d: 1e-4,
      var_63d: 2e-4,
      model_version: 'm1',
      config_hash: 'h',
      revision: 3,
    };
    expect({ ...codecs.alpha.decode(codecs.alpha.encode(alpha)) }).toEqual(alpha);
    const eod = { region: 'us', date: 19001, bar_count: 0 };
    expect({ ...codecs.endOfDay.decode(codecs.endOfDay.encode(eod)) }).toEqual(eod);
    const model = {
      region: 'us',
      model_version: 'm',
      config_hash: 'c',
      git_sha: 'g',
      trained_at: Date.UTC(2024, 0, 2, 3, 4, 5, 6),
      data_start: 1,
      data_end: 2,
      label_cutoff: 1,
      artifact_path: 'a',
      cv: { ic: NaN, hit: 0.5 },
    };
    expect({ ...codecs.modelTrained.decode(codecs.modelTrained.encode(model)) }).toEqual(model);
    const dead = {
      source_topic: 't',
      partition: 0,
      offset: 12,
      key: null,
      payload: Buffer.from([0, 1, 2]),
      reason: 'r',
      error_code: 'E',
      failed_at: 0,
      service: 's',
    };
    expect({ ...codecs.deadLetter.decode(codecs.deadLetter.encode(dead)) }).toEqual(dead);
  });

  it('batch-encodes into shared slabs without one message overwriting another', () => {
    const values = Array.from({ length: 5000 }, (_, i) => ({
      ...bar(i),
      industry: i === 4000 ? 'x'.repeat(100_000) : bar(i).industry,
    }));
    const messages = codecs.bar.encodeBatch(values);
    expect(messages.map((m) => m.toString('hex'))).toEqual(
      values.map((v) => codecs.bar.encode(v).toString('hex')),
    );
    expect(codecs.bar.decodeBatch(messages).map((v) => ({ ...v }))).toEqual(values);
    expect(codecs.bar.encodeBatch([])).toEqual([]);
  });

  it('rejects an invalid value with the field type in the message', () => {
    const bad = { ...bar(0), date: 1.5 };
    expect(codeOf(() => codecs.bar.encode(bad))).toBe('CODEC_INVALID_VALUE');
    expect(() => codecs.bar.encodeBatch([bar(0), bad])).toThrow(
      /cannot encode io\.alphafeed\.v1\.Bar: invalid "int": 1\.5/,
    );
  });

  it('names a wrong marker, a foreign fingerprint, truncation and trailing bytes', () => {
    const msg = codecs.bar.encode(bar(5));
    expect(codeOf(() => codecs.bar.decode(Buffer.from([0xc3])))).toBe('CODEC_BAD_MARKER');
    const confluent = Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), msg.subarray(10)]);
    expect(() => codecs.bar.decode(confluent)).toThrow(/expected marker c301.*got 0000000007.*Confluent/);
    expect(codeOf(() => codecs.bar.decode(codecs.alpha.encode({} as AlphaEvent)))).toBe(
      'CODEC_INVALID_VALUE',
    );
    const eod = codecs.endOfDay.encode({ region: 'us', date: 1, bar_count: 1 });
    expect(() => codecs.bar.decode(eod)).toThrow(/is not io\.alphafeed\.v1\.Bar/);
    expect(codeOf(() => codecs.bar.decode(msg.subarray(0, msg.length - 3)))).toBe('CODEC_TRUNCATED');
    expect(codeOf(() => codecs.bar.decode(Buffer.concat([msg, Buffer.from([0])])))).toBe(
      'CODEC_TRAILING_BYTES',
    );
  });
});

describe('corrupt messages', () => {
  it('never decodes a truncated message: every prefix throws a CodecError', () => {
    const msg = codecs.bar.encode(bar(7));
    for (let n = 0; n < msg.length; n++) {
      const code = codeOf(() => codecs.schemas.decode(msg.subarray(0, n)));
      expect(code).toBe(n < 10 ? 'CODEC_BAD_MARKER' : 'CODEC_TRUNCATED');
    }
  });

  it('reports a string length running past the end as truncation', () => {
    const msg = Buffer.from(codecs.endOfDay.encode({ region: 'us', date: 1, bar_count: 2 }));
    msg[10] = 0x7e; // zig-zag varint 63: a 63-byte region in a 15-byte message
    expect(codeOf(() => codecs.endOfDay.decode(msg))).toBe('CODEC_TRUNCATED');
  });

  it('rejects an invalid union branch index', () => {
    const msg = Buffer.from(
      codecs.bar.encode({ ...bar(1), amount: null, shares_out: null, factor: null, industry: null }),
    );
    msg[msg.length - 1] = 0x08; // industry's union index 4 of a 2-branch union
    expect(codeOf(() => codecs.bar.decode(msg))).toBe('CODEC_INVALID_VALUE');
  });
});

describe('SchemaSet', () => {
  it('decodes any known event by its fingerprint', () => {
    const eod = { region: 'us', date: 19001, bar_count: 42 };
    expect(codecs.schemas.decode(codecs.endOfDay.encode(eod))).toEqual({
      schema: 'EndOfDay',
      value: expect.objectContaining(eod),
    });
    expect(codecs.schemas.decode(codecs.bar.encode(bar(3))).schema).toBe('Bar');
  });

  it('rejects an unknown fingerprint and lists the known ones', () => {
    const msg = Buffer.from(codecs.bar.encode(bar(1)));
    msg[9] ^= 0xff;
    expect(() => codecs.schemas.decode(msg)).toThrow(
      /unknown schema fingerprint 298f379f01f72fe2 .*Bar=298f379f01f72f1d/,
    );
    const onlyEod = new SchemaSet({ EndOfDay: codecs.endOfDay.type });
    expect(() => onlyEod.decode(codecs.bar.encode(bar(1)))).toThrow(/known: EndOfDay=/);
  });

  it('loads every schema of the repository and refuses duplicates and missing ones', () => {
    expect(loadSchemas().names).toEqual(['Alpha', 'Bar', 'DeadLetter', 'EndOfDay', 'ModelTrained', 'TargetWeights']);
    expect(
      () => new SchemaSet({ A: avro.Type.forSchema('int'), B: avro.Type.forSchema({ type: 'int' }) }),
    ).toThrow(/same canonical form/);
    expect(() => codecs.schemas.codec('Nope')).toThrow(/no schema named "Nope"; known: Alpha, Bar/);
    expect(() => loadSchemas('/nonexistent/dir')).toThrow(/cannot read schema directory \/nonexistent\/dir/);
  });

  it('gives one codec instance per schema so Types and headers are reused', () => {
    expect(codecs.bar).toBe(codecs.schemas.codec('Bar'));
    expect(codecs.bar).toBeInstanceOf(SingleObjectCodec);
  });
});
