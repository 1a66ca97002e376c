import * as avro from 'avsc';
import { parsingCanonicalForm, schemaFingerprint } from './canonical-form';
import { fingerprintBytes } from './crc64-avro';
import { CodecError, hexPreview } from './errors';

/** `C3 01`: the two marker bytes of Avro single-object encoding. */
export const SINGLE_OBJECT_MARKER = Uint8Array.of(0xc3, 0x01);
/** Marker (2) + little-endian CRC-64-AVRO fingerprint (8). */
export const SINGLE_OBJECT_HEADER_LENGTH = 10;

const MIN_SLAB = 64 * 1024;

/**
 * Avro single-object encoding of one schema: `C3 01`, the schema's 8-byte
 * little-endian fingerprint, then the Avro binary body. Self-describing
 * without a registry: a reader finds the schema by fingerprint.
 *
 * One instance per schema, reused: the avsc Type compiles its reader and
 * writer once, and the header is computed once. The fingerprint is compared
 * as two uint32 words, never as a BigInt, so decoding costs what avsc costs.
 */
export class SingleObjectCodec<T> {
  readonly type: avro.Type;
  readonly canonicalForm: string;
  /** Unsigned CRC-64-AVRO of the canonical form. */
  readonly fingerprint: bigint;
  /** The 10 header bytes every message of this schema starts with. */
  readonly header: Buffer;
  /** Fingerprint words as they sit in the header (little-endian uint32 at offsets 2 and 6). */
  readonly fingerprintLo: number;
  readonly fingerprintHi: number;
  private scratch = Buffer.allocUnsafe(4096);
  /** Running estimate of a message's size, to size batch slabs in one allocation. */
  private meanSize = 128;

  constructor(type: avro.Type) {
    this.type = type;
    this.canonicalForm = parsingCanonicalForm(type);
    this.fingerprint = schemaFingerprint(type);
    this.header = Buffer.concat([Buffer.from(SINGLE_OBJECT_MARKER), fingerprintBytes(this.fingerprint)]);
    this.fingerprintLo = this.header.readUInt32LE(2);
    this.fingerprintHi = this.header.readUInt32LE(6);
  }

  /** The schema's full name, e.g. `io.alphafeed.v1.Bar`. */
  get name(): string {
    return this.type.name ?? this.canonicalForm;
  }

  /** Encodes one value into its own Buffer (one allocation, exact size). */
  encode(value: T): Buffer {
    let end = this.writeAt(this.scratch, 0, value);
    if (end < 0) {
      this.scratch = Buffer.allocUnsafe(2 * (this.scratch.length - end));
      end = this.writeAt(this.scratch, 0, value);
    }
    const out = Buffer.allocUnsafe(end);
    this.scratch.copy(out, 0, 0, end);
    return out;
  }

  /**
   * Encodes many values into one freshly allocated slab and returns a view per
   * message: one allocation per ~batch instead of per message. The views keep
   * the slab alive while any of them is referenced, and the slab is never
   * reused, so the messages may be handed to a bus as they are.
   */
  encodeBatch(values: readonly T[]): Buffer[] {
    const out = new Array<Buffer>(values.length);
    let slab = Buffer.allocUnsafe(Math.max(MIN_SLAB, Math.ceil(values.length * this.meanSize * 1.25)));
    let pos = 0;
    let bytes = 0;
    for (let i = 0; i < values.length; i++) {
      let end = this.writeAt(slab, pos, values[i]);
      if (end < 0) {
        // `-end` bytes were missing after the slab's end: this message needs (slab.length - pos - end).
        const need = slab.length - pos - end;
        const left = values.length - i;
        slab = Buffer.allocUnsafe(Math.max(MIN_SLAB, 2 * need, Math.ceil(left * this.meanSize * 1.5)));
        pos = 0;
        end = this.writeAt(slab, 0, values[i]);
        if (end < 0) {
          slab = Buffer.allocUnsafe(slab.length - end);
          end = this.writeAt(slab, 0, values[i]);
        }
      }
      out[i] = slab.subarray(pos, end);
      bytes += end - pos;
      pos = end;
    }
    if (values.length > 0) this.meanSize = Math.max(16, bytes / values.length);
    return out;
  }

  /** True when the bytes start with this schema's header. */
  matches(bytes: Uint8Array): boolean {
    return (
      bytes.length >= SINGLE_OBJECT_HEADER_LENGTH &&
      bytes[0] === 0xc3 &&
      bytes[1] === 0x01 &&
      readU32LE(bytes, 2) === this.fingerprintLo &&
      readU32LE(bytes, 6) === this.fingerprintHi
    );
  }

  /** Decodes one message; throws CodecError on a wrong marker, another schema's fingerprint, truncation or trailing bytes. */
  decode(bytes: Buffer): T {
    checkMarker(bytes);
    if (!this.matches(bytes)) {
      throw new CodecError(
        'CODEC_UNKNOWN_FINGERPRINT',
        `message fingerprint ${headerFingerprintHex(bytes)} is not ${this.name} (${fingerprintHex(this.fingerprint)}); ` +
          'it was written with another schema — decode it with a SchemaSet that knows that schema',
      );
    }
    return this.decodeBody(bytes, SINGLE_OBJECT_HEADER_LENGTH);
  }

  /** Decodes many messages of this schema. */
  decodeBatch(messages: readonly Buffer[]): T[] {
    const out = new Array<T>(messages.length);
    for (let i = 0; i < messages.length; i++) out[i] = this.decode(messages[i]);
    return out;
  }

  /** Decodes the Avro body starting at `offset`; the body must end exactly at the end of `bytes`. */
  decodeBody(bytes: Buffer, offset: number): T {
    let result: { value: unknown; offset: number };
    try {
      result = this.type.decode(bytes, offset);
    } catch (cause) {
      throw new CodecError(
        'CODEC_INVALID_VALUE',
        `corrupt ${this.name} body: ${(cause as Error).message}; bytes ${hexPreview(bytes)}`,
        { cause },
      );
    }
    if (result.offset < 0) {
      throw new CodecError(
        'CODEC_TRUNCATED',
        `truncated ${this.name} message: bytes ${hexPreview(bytes)} end before the record does`,
      );
    }
    if (result.offset !== bytes.length) {
      throw new CodecError(
        'CODEC_TRAILING_BYTES',
        `${bytes.length - result.offset} trailing bytes after a ${this.name} record (record ends at ${result.offset}); bytes ${hexPreview(bytes)}`,
      );
    }
    return result.value as T;
  }

  /** Writes header + body at `pos`; returns the end, or a negative number when the buffer is too small. */
  private writeAt(buf: Buffer, pos: number, value: T): number {
    if (buf.length - pos < SINGLE_OBJECT_HEADER_LENGTH) return -(SINGLE_OBJECT_HEADER_LENGTH + this.meanSize);
    this.header.copy(buf, pos);
    try {
      return this.type.encode(value, buf, pos + SINGLE_OBJECT_HEADER_LENGTH);
    } catch (cause) {
      throw new CodecError('CODEC_INVALID_VALUE', `cannot encode ${this.name}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
}

export function readU32LE(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16)) + bytes[at + 3] * 0x1000000;
}

export function checkMarker(bytes: Uint8Array): void {
  if (bytes.length < SINGLE_OBJECT_HEADER_LENGTH || bytes[0] !== 0xc3 || bytes[1] !== 0x01) {
    throw new CodecError(
      'CODEC_BAD_MARKER',
      `not an Avro single-object message: expected marker c301 and a 10-byte header, got ${hexPreview(bytes)}; ` +
        'a leading 00 means Confluent framing (use decodeConfluent)',
    );
  }
}

/** Hex of an unsigned fingerprint as the header stores it (little-endian bytes). */
export function fingerprintHex(fingerprint: bigint): string {
  return fingerprintBytes(fingerprint).toString('hex');
}

function headerFingerprintHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + 2, 8).toString('hex');
}
