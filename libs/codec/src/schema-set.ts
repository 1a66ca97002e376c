import * as avro from 'avsc';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CodecError } from './errors';
import { EVENT_SCHEMA_NAMES, type EventSchemaName, type EventsBySchema } from './events';
import {
  checkMarker,
  fingerprintHex,
  readU32LE,
  SINGLE_OBJECT_HEADER_LENGTH,
  SingleObjectCodec,
} from './single-object.codec';

/** A decoded message and the schema it was written with. */
export interface Decoded {
  /** File name of the schema without `.avsc`, e.g. `Bar`. */
  readonly schema: string;
  readonly value: unknown;
}

/**
 * The known schemas, by file name and by fingerprint. A consumer that reads
 * several schemas (or several versions of one) decodes with `decode`, which
 * picks the writer's schema from the message header.
 */
export class SchemaSet {
  private readonly byName = new Map<string, SingleObjectCodec<unknown>>();
  /** Schemas are few (< 20): a linear scan of two uint32 words beats hashing a BigInt. */
  private readonly codecs: { name: string; codec: SingleObjectCodec<unknown> }[] = [];

  constructor(schemas: Readonly<Record<string, avro.Type>>) {
    for (const [name, type] of Object.entries(schemas)) {
      const codec = new SingleObjectCodec<unknown>(type);
      const clash = this.codecs.find((c) => c.codec.fingerprint === codec.fingerprint);
      if (clash !== undefined) {
        throw new CodecError(
          'CODEC_SCHEMA',
          `schemas ${clash.name} and ${name} have the same canonical form (fingerprint ${fingerprintHex(codec.fingerprint)}); remove one`,
        );
      }
      this.byName.set(name, codec);
      this.codecs.push({ name, codec });
    }
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The codec of one schema; throws with the known names when absent. */
  codec<K extends EventSchemaName>(name: K): SingleObjectCodec<EventsBySchema[K]>;
  codec(name: string): SingleObjectCodec<unknown>;
  codec(name: string): SingleObjectCodec<unknown> {
    const codec = this.byName.get(name);
    if (codec === undefined) {
      throw new CodecError(
        'CODEC_SCHEMA',
        `no schema named ${JSON.stringify(name)}; known: ${this.names.join(', ')}`,
      );
    }
    return codec;
  }

  /** Decodes a single-object message written with any known schema. */
  decode(bytes: Buffer): Decoded {
    checkMarker(bytes);
    const lo = readU32LE(bytes, 2);
    const hi = readU32LE(bytes, 6);
    for (const { name, codec } of this.codecs) {
      if (codec.fingerprintLo === lo && codec.fingerprintHi === hi) {
        return { schema: name, value: codec.decodeBody(bytes, SINGLE_OBJECT_HEADER_LENGTH) };
      }
    }
    const seen = Buffer.from(bytes.buffer, bytes.byteOffset + 2, 8).toString('hex');
    const known = this.codecs.map((c) => `${c.name}=${fingerprintHex(c.codec.fingerprint)}`).join(', ');
    throw new CodecError(
      'CODEC_UNKNOWN_FINGERPRINT',
      `unknown schema fingerprint ${seen} (little-endian bytes); known: ${known}. ` +
        'The producer uses a schema this reader does not have: add its .avsc to the schema directory',
    );
  }
}

/**
 * Reads every `*.avsc` of `dir` (default: the repository's `schemas/`) into a
 * SchemaSet keyed by file name. Logical types stay annotations: avsc reads a
 * `date` as its int day number and `timestamp-millis` as a number, which is
 * what the events use and what keeps the canonical form standard.
 */
export function loadSchemas(dir: string = defaultSchemaDir()): SchemaSet {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.avsc'))
      .sort();
  } catch (cause) {
    throw new CodecError('CODEC_SCHEMA', `cannot read schema directory ${dir}: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (files.length === 0) throw new CodecError('CODEC_SCHEMA', `no .avsc files in ${dir}`);
  const types: Record<string, avro.Type> = {};
  for (const file of files) {
    const path = join(dir, file);
    try {
      types[basename(file, '.avsc')] = avro.Type.forSchema(
        JSON.parse(readFileSync(path, 'utf8')) as avro.Schema,
      );
    } catch (cause) {
      throw new CodecError('CODEC_SCHEMA', `invalid Avro schema in ${path}: ${(cause as Error).message}`, {
        cause,
      });
    }
  }
  return new SchemaSet(types);
}

/**
 * The repository's `schemas/` directory: ALPHAFEED_SCHEMAS if set, else the
 * first ancestor of this file (source or dist/) that has `schemas/Bar.avsc`.
 */
export function defaultSchemaDir(): string {
  const fromEnv = process.env.ALPHAFEED_SCHEMAS;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'Bar.avsc'))) return candidate;
    if (dirname(dir) === dir) break;
  }
  throw new CodecError(
    'CODEC_SCHEMA',
    `cannot find schemas/Bar.avsc above ${__dirname}; set ALPHAFEED_SCHEMAS to the schema directory`,
  );
}

/** Typed single-object codecs of the alphafeed events. */
export type BarCodec = SingleObjectCodec<EventsBySchema['Bar']>;
export type EndOfDayCodec = SingleObjectCodec<EventsBySchema['EndOfDay']>;
export type AlphaCodec = SingleObjectCodec<EventsBySchema['Alpha']>;
export type ModelTrainedCodec = SingleObjectCodec<EventsBySchema['ModelTrained']>;
export type TargetWeightsCodec = SingleObjectCodec<EventsBySchema['TargetWeights']>;
export type DeadLetterCodec = SingleObjectCodec<EventsBySchema['DeadLetter']>;

export interface EventCodecs {
  readonly schemas: SchemaSet;
  readonly bar: BarCodec;
  readonly endOfDay: EndOfDayCodec;
  readonly alpha: AlphaCodec;
  readonly modelTrained: ModelTrainedCodec;
  readonly targetWeights: TargetWeightsCodec;
  readonly deadLetter: DeadLetterCodec;
}

/** Loads the schemas and returns one typed codec per event; throws if an event schema is missing. */
export function loadEventCodecs(dir?: string): EventCodecs {
  const schemas = loadSchemas(dir);
  const missing = EVENT_SCHEMA_NAMES.filter((n) => !schemas.has(n));
  if (missing.length > 0) {
    throw new CodecError(
      'CODEC_SCHEMA',
      `schema directory lacks ${missing.map((n) => `${n}.avsc`).join(', ')}`,
    );
  }
  return {
    schemas,
    bar: schemas.codec('Bar'),
    endOfDay: schemas.codec('EndOfDay'),
    alpha: schemas.codec('Alpha'),
    modelTrained: schemas.codec('ModelTrained'),
    targetWeights: schemas.codec('TargetWeights'),
    deadLetter: schemas.codec('DeadLetter'),
  };
}
