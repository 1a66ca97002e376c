import { confluentSchemaId, decodeConfluent, encodeConfluent } from './confluent.codec';
import { CodecError } from './errors';
import { loadEventCodecs } from './schema-set';

const { endOfDay } = loadEventCodecs();
const eod = { region: 'us', date: 19001, bar_count: 42 };

describe('Confluent wire format', () => {
  it('writes magic 0, the big-endian schema id, then the Avro body', () => {
    const msg = encodeConfluent(endOfDay.type, 0x01020304, eod);
    expect(msg.subarray(0, 5).toString('hex')).toBe('0001020304');
    expect(msg.subarray(5).equals(endOfDay.type.toBuffer(eod))).toBe(true);
    expect(confluentSchemaId(msg)).toBe(0x01020304);
  });

  it('round-trips through a resolver', () => {
    const msg = encodeConfluent(endOfDay.type, 7, eod);
    expect({ ...decodeConfluent<typeof eod>(msg, (id) => (id === 7 ? endOfDay.type : undefined)) }).toEqual(
      eod,
    );
  });

  it('rejects a bad magic byte, an unknown id, a bad id and truncation', () => {
    expect(() => confluentSchemaId(endOfDay.encode(eod))).toThrow(/expected magic 00.*got c301/);
    const msg = encodeConfluent(endOfDay.type, 7, eod);
    expect(() => decodeConfluent(msg, () => undefined)).toThrow(/unknown Confluent schema id 7/);
    expect(() => encodeConfluent(endOfDay.type, -1, eod)).toThrow(CodecError);
    expect(() => decodeConfluent(msg.subarray(0, msg.length - 1), () => endOfDay.type)).toThrow(/truncated/);
  });
});
