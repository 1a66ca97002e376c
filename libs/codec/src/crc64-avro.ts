/**
 * CRC-64-AVRO, the Rabin fingerprint the Avro specification uses for schema
 * fingerprints (single-object encoding, schema caches). Computed over the
 * UTF-8 bytes of a schema's Parsing Canonical Form.
 *
 * The table is built once from the spec's EMPTY polynomial. BigInt costs
 * ~100 ns a byte, which is fine: fingerprints are computed once per schema,
 * never per message (decoders compare the 8 header bytes instead).
 */
export const CRC64_AVRO_EMPTY = 0xc15d213aa4d7a795n;
const MASK64 = (1n << 64n) - 1n;

const TABLE: readonly bigint[] = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (CRC64_AVRO_EMPTY & -(fp & 1n));
  return fp & MASK64;
});

/** Unsigned 64-bit fingerprint. Java's `SchemaNormalization.parsingFingerprint64` is the same bits as a signed long. */
export function crc64Avro(bytes: Uint8Array): bigint {
  let fp = CRC64_AVRO_EMPTY;
  for (let i = 0; i < bytes.length; i++) {
    fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(bytes[i])) & 0xffn)];
  }
  return fp & MASK64;
}

/** The fingerprint as Java and the Avro test vectors print it (signed long). */
export function toSignedFingerprint(fingerprint: bigint): bigint {
  return BigInt.asIntN(64, fingerprint);
}

/** The 8 bytes the single-object header carries: little-endian. */
export function fingerprintBytes(fingerprint: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt.asUintN(64, fingerprint));
  return out;
}
