import * as avro from 'avsc';
import { CodecError, hexPreview } from './errors';

/** Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro binary. */
export const CONFLUENT_MAGIC = 0x00;
export const CONFLUENT_HEADER_LENGTH = 5;

/**
 * Encodes `value` in the Confluent wire format with a schema id that a
 * registry assigned (the codec does not talk to a registry). For Kafka
 * tooling that expects Confluent framing; alphafeed's own topics use
 * single-object encoding, which needs no registry.
 */
export function encodeConfluent(type: avro.Type, schemaId: number, value: unknown): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new CodecError(
      'CODEC_SCHEMA',
      `Confluent schema id must be an integer in [0, 2^31), got ${schemaId}`,
    );
  }
  let body: Buffer;
  try {
    body = type.toBuffer(value);
  } catch (cause) {
    throw new CodecError(
      'CODEC_INVALID_VALUE',
      `cannot encode ${type.name ?? 'value'}: ${(cause as Error).message}`,
      { cause },
    );
  }
  const out = Buffer.allocUnsafe(CONFLUENT_HEADER_LENGTH + body.length);
  out[0] = CONFLUENT_MAGIC;
  out.writeUInt32BE(schemaId, 1);
  body.copy(out, CONFLUENT_HEADER_LENGTH);
  return out;
}

/** The schema id of a Confluent-framed message; throws on a wrong magic byte or a short message. */
export function confluentSchemaId(bytes: Buffer): number {
  if (bytes.length < CONFLUENT_HEADER_LENGTH || bytes[0] !== CONFLUENT_MAGIC) {
    throw new CodecError(
      'CODEC_BAD_MARKER',
      `not a Confluent-framed message: expected magic 00 and a 5-byte header, got ${hexPreview(bytes)}; ` +
        'a leading c301 means Avro single-object encoding (use SchemaSet.decode)',
    );
  }
  return bytes.readUInt32BE(1);
}

/**
 * Decodes a Confluent-framed message. `resolve` maps the schema id to the
 * writer's Type (from a registry or a local table) and returns undefined for
 * an unknown id.
 */
export function decodeConfluent<T = unknown>(
  bytes: Buffer,
  resolve: (schemaId: number) => avro.Type | undefined,
): T {
  const id = confluentSchemaId(bytes);
  const type = resolve(id);
  if (type === undefined) {
    throw new CodecError(
      'CODEC_UNKNOWN_SCHEMA_ID',
      `unknown Confluent schema id ${id}; register the schema or add it to the resolver`,
    );
  }
  let result: { value: unknown; offset: number };
  try {
    result = type.decode(bytes, CONFLUENT_HEADER_LENGTH);
  } catch (cause) {
    throw new CodecError(
      'CODEC_INVALID_VALUE',
      `corrupt body for schema id ${id}: ${(cause as Error).message}`,
      { cause },
    );
  }
  if (result.offset < 0)
    throw new CodecError('CODEC_TRUNCATED', `truncated message for schema id ${id}: ${hexPreview(bytes)}`);
  if (result.offset !== bytes.length) {
    throw new CodecError(
      'CODEC_TRAILING_BYTES',
      `${bytes.length - result.offset} trailing bytes after the record for schema id ${id}`,
    );
  }
  return result.value as T;
}
