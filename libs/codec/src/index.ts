export { CodecError, hexPreview } from './errors';
export type { CodecErrorCode } from './errors';
export { crc64Avro, toSignedFingerprint, fingerprintBytes, CRC64_AVRO_EMPTY } from './crc64-avro';
export { parsingCanonicalForm, schemaFingerprint } from './canonical-form';
export {
  SingleObjectCodec,
  SINGLE_OBJECT_MARKER,
  SINGLE_OBJECT_HEADER_LENGTH,
  fingerprintHex,
} from './single-object.codec';
export {
  encodeConfluent,
  decodeConfluent,
  confluentSchemaId,
  CONFLUENT_MAGIC,
  CONFLUENT_HEADER_LENGTH,
} from './confluent.codec';
export { SchemaSet, loadSchemas, loadEventCodecs, defaultSchemaDir } from './schema-set';
export type {
  Decoded,
  EventCodecs,
  BarCodec,
  EndOfDayCodec,
  AlphaCodec,
  ModelTrainedCodec,
  TargetWeightsCodec,
  DeadLetterCodec,
} from './schema-set';
export { EVENT_SCHEMA_NAMES } from './events';
export type {
  BarEvent,
  EndOfDayEvent,
  AlphaEvent,
  ModelTrainedEvent,
  TargetWeightsEvent,
  DeadLetterEvent,
  EventsBySchema,
  EventSchemaName,
} from './events';
export { TOPICS, TOPIC_SCHEMAS, deadLetterTopic } from './topics';
export type { TopicName } from './topics';
