import * as avro from 'avsc';
import { crc64Avro } from './crc64-avro';

/**
 * Parsing Canonical Form of a schema (Avro spec, "Parsing Canonical Form for
 * Schemas"). avsc's `Type#schema()` already applies the transformations
 * (fullnames, primitives as strings, only name/type/fields/symbols/items/
 * values/size kept in that order, doc/aliases/default/order and logicalType
 * dropped) when no logical-type classes are registered — which is why the
 * codec never passes `logicalTypes` to avsc. The spec's own test vectors and a
 * fastavro-generated fixture check this in canonical-form.spec.ts.
 */
export function parsingCanonicalForm(type: avro.Type): string {
  return JSON.stringify(type.schema());
}

/** CRC-64-AVRO of the Parsing Canonical Form (unsigned). */
export function schemaFingerprint(type: avro.Type): bigint {
  return crc64Avro(Buffer.from(parsingCanonicalForm(type), 'utf8'));
}
