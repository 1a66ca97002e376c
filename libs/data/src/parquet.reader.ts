import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { InputError } from '@alphafeed/core';
import {
  Codec,
  CODEC_NAMES,
  ConvertedType,
  Encoding,
  MAGIC,
  PageType,
  PhysicalType,
  Repetition,
} from './parquet.format';
import type { ParquetColumn, ParquetTable } from './parquet.format';
import { snappyUncompress } from './snappy.codec';
import { ThriftReader } from './thrift-compact';
import type { ThriftStruct, ThriftValue } from './thrift-compact';

export interface ParquetReadOptions {
  /** Read only these columns (default: all). Unknown names are an InputError. */
  readonly columns?: readonly string[];
  /** Called after each row group with (row groups done, row groups). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What a leaf of the schema is, as far as we need to know. */
interface Leaf {
  readonly name: string;
  readonly physical: number;
  readonly optional: boolean;
  readonly kind: ParquetColumn['type'];
  /** Timestamp unit in ms (1 for millis, 1e-3 micros, 1e-6 nanos). */
  readonly toMs: number;
}

/** Column being filled across row groups. */
interface Sink {
  readonly leaf: Leaf;
  readonly values: Float64Array | Float32Array | Int32Array | Uint8Array;
  nulls: Uint8Array | null;
  /** String columns: file-wide dictionary. */
  readonly ids: Map<string, number>;
  readonly dictionary: string[];
}

/**
 * Reads a flat Parquet file into typed columns: PLAIN and dictionary
 * encodings, data pages v1 and v2, uncompressed / snappy / gzip / brotli,
 * REQUIRED or OPTIONAL (nullable) leaves — what pyarrow and pandas write by
 * default. Each column chunk is read with one positioned read, so memory is
 * the output columns plus one compressed chunk. Nested columns, INT96 and
 * the DELTA / BYTE_STREAM_SPLIT encodings are refused with an InputError.
 */
export function readParquet(path: string, options: ParquetReadOptions = {}): ParquetTable {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError(`cannot read parquet file ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return readOpen(fd, path, options);
  } finally {
    closeSync(fd);
  }
}

/** Row count and column names and types of a Parquet file, from its footer only. */
export function readParquetSchema(path: string): {
  numRows: number;
  columns: { name: string; type: ParquetColumn['type'] }[];
} {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError(`cannot read parquet file ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const { numRows, leaves } = readFooter(fd, path);
    return { numRows, columns: leaves.map((l) => ({ name: l.name, type: l.kind })) };
  } finally {
    closeSync(fd);
  }
}

function readFooter(fd: number, path: string): { meta: ThriftStruct; numRows: number; leaves: Leaf[] } {
  const size = fstatSync(fd).size;
  const tail = readAt(fd, Math.max(0, size - 8), Math.min(8, size));
  if (size < 12 || !Buffer.from(tail.subarray(4)).equals(MAGIC))
    throw new InputError(`${path} is not a parquet file (no PAR1 footer)`);
  const footerLength = Buffer.from(tail).readUInt32LE(0);
  if (footerLength + 12 > size)
    throw new InputError(`${path}: parquet footer length ${footerLength} exceeds the file size ${size}`);
  const meta = new ThriftReader(readAt(fd, size - 8 - footerLength, footerLength)).readStruct();
  return { meta, numRows: num(meta[3]), leaves: schemaLeaves(meta[2] as ThriftStruct[], path) };
}

/**
 * Calls `onGroup` with each row group as its own table (string codes index
 * one dictionary shared by the whole file, which grows as groups are read).
 * Memory is one row group of the selected columns, whatever the file size;
 * the table passed to `onGroup` is not reused, so it may be kept.
 */
export function readParquetRowGroups(
  path: string,
  options: ParquetReadOptions,
  onGroup: (group: ParquetTable, firstRow: number) => void,
): { numRows: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError(`cannot read parquet file ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return { numRows: scan(fd, path, options, true, onGroup) };
  } finally {
    closeSync(fd);
  }
}

function readOpen(fd: number, path: string, options: ParquetReadOptions): ParquetTable {
  let table: ParquetTable | null = null;
  const numRows = scan(fd, path, options, false, (whole) => {
    table = whole;
  });
  return table ?? { length: numRows, columns: [] };
}

/**
 * Reads the selected columns group by group. `groupwise`: a fresh table per
 * row group, handed to `onGroup`; otherwise one table for the whole file,
 * handed over once at the end.
 */
function scan(
  fd: number,
  path: string,
  options: ParquetReadOptions,
  groupwise: boolean,
  onGroup: (table: ParquetTable, firstRow: number) => void,
): number {
  const { meta, numRows, leaves } = readFooter(fd, path);
  const wanted = options.columns ?? leaves.map((l) => l.name);
  for (const name of wanted) {
    if (!leaves.some((l) => l.name === name)) {
      throw new InputError(
        `parquet file ${path} has no column "${name}" (columns: ${leaves.map((l) => l.name).join(', ')})`,
      );
    }
  }
  const selected = wanted.map((name) => leaves.findIndex((l) => l.name === name));
  const shared = selected.map(() => ({ ids: new Map<string, number>(), dictionary: [] as string[] }));
  const allocate = (rows: number): Sink[] =>
    selected.map((k, c) => {
      const leaf = leaves[k];
      const values =
        leaf.kind === 'double' || leaf.kind === 'int64' || leaf.kind === 'timestamp'
          ? new Float64Array(rows)
          : leaf.kind === 'float'
            ? new Float32Array(rows)
            : leaf.kind === 'boolean'
              ? new Uint8Array(rows)
              : new Int32Array(rows);
      return { leaf, values, nulls: null, ids: shared[c].ids, dictionary: shared[c].dictionary };
    });
  const tableOf = (sinks: Sink[], rows: number): ParquetTable => ({
    length: rows,
    columns: sinks.map((sink): ParquetColumn => {
      const { kind, name } = sink.leaf;
      if (kind === 'string')
        return { name, type: 'string', codes: sink.values as Int32Array, dictionary: sink.dictionary };
      if (kind === 'double') return { name, type: 'double', values: sink.values as Float64Array };
      if (kind === 'float') return { name, type: 'float', values: sink.values as Float32Array };
      return { name, type: kind, values: sink.values, nulls: sink.nulls } as ParquetColumn;
    }),
  });

  const rowGroups = (meta[4] as ThriftStruct[] | undefined) ?? [];
  let sinks = groupwise ? [] : allocate(numRows);
  let row0 = 0;
  for (let g = 0; g < rowGroups.length; g++) {
    const group = rowGroups[g];
    const chunks = group[1] as ThriftStruct[];
    const rows = num(group[3]);
    if (!groupwise && row0 + rows > numRows)
      throw new InputError(`parquet file ${path}: row groups hold more rows than the footer's ${numRows}`);
    if (groupwise) sinks = allocate(rows);
    const at = groupwise ? 0 : row0;
    for (let c = 0; c < selected.length; c++) {
      const sink = sinks[c];
      const cmeta = chunks[selected[c]][3] as ThriftStruct;
      const codec = num(cmeta[4]);
      const dataOffset = num(cmeta[9]);
      const dictOffset = cmeta[11] === undefined ? -1 : num(cmeta[11]);
      const start = dictOffset > 0 && dictOffset < dataOffset ? dictOffset : dataOffset;
      const bytes = readAt(fd, start, num(cmeta[7]));
      try {
        readChunk(bytes, codec, rows, sink, at);
      } catch (err) {
        if (err instanceof InputError) throw err;
        throw new InputError(
          `parquet file ${path}, row group ${g}, column ${sink.leaf.name}: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
    if (groupwise) onGroup(tableOf(sinks, rows), row0);
    row0 += rows;
    options.onProgress?.(g + 1, rowGroups.length);
  }
  if (row0 !== numRows)
    throw new InputError(`parquet file ${path}: row groups hold ${row0} rows, the footer says ${numRows}`);
  if (!groupwise) onGroup(tableOf(sinks, numRows), 0);
  return numRows;
}

function schemaLeaves(schema: ThriftStruct[], path: string): Leaf[] {
  const root = schema[0];
  const children = num(root[5] ?? 0);
  if (children !== schema.length - 1) {
    throw new InputError(`parquet file ${path} has nested columns; only flat tables are supported`);
  }
  return schema.slice(1).map((el) => {
    const name = text(el[4]);
    if (el[5] !== undefined && num(el[5]) > 0)
      throw new InputError(`parquet file ${path}: column ${name} is nested; only flat tables are supported`);
    const physical = num(el[1]);
    const repetition = num(el[3] ?? Repetition.REQUIRED);
    if (repetition === Repetition.REPEATED)
      throw new InputError(
        `parquet file ${path}: column ${name} is repeated; only flat tables are supported`,
      );
    const converted = el[6] === undefined ? -1 : num(el[6]);
    const logical = el[10] as ThriftStruct | undefined;
    let kind: ParquetColumn['type'];
    let toMs = 1;
    if (physical === PhysicalType.DOUBLE) kind = 'double';
    else if (physical === PhysicalType.FLOAT) kind = 'float';
    else if (physical === PhysicalType.BOOLEAN) kind = 'boolean';
    else if (physical === PhysicalType.BYTE_ARRAY) kind = 'string';
    else if (physical === PhysicalType.INT32)
      kind = converted === ConvertedType.DATE || logical?.[6] !== undefined ? 'date' : 'int32';
    else if (physical === PhysicalType.INT64) {
      const ts = logical?.[8] as ThriftStruct | undefined;
      if (ts !== undefined) {
        const unit = ts[2] as ThriftStruct;
        toMs = unit[1] !== undefined ? 1 : unit[2] !== undefined ? 1e-3 : 1e-6;
        kind = 'timestamp';
      } else if (
        converted === ConvertedType.TIMESTAMP_MILLIS ||
        converted === ConvertedType.TIMESTAMP_MICROS
      ) {
        toMs = converted === ConvertedType.TIMESTAMP_MILLIS ? 1 : 1e-3;
        kind = 'timestamp';
      } else kind = 'int64';
    } else {
      throw new InputError(
        `parquet file ${path}: column ${name} has physical type ${physical} (INT96 or fixed-length), which is not supported; write it as INT64 timestamps or numbers`,
      );
    }
    return { name, physical, optional: repetition === Repetition.OPTIONAL, kind, toMs };
  });
}

/** Decodes every page of one column chunk into the sink rows [row0, row0 + rows). */
function readChunk(bytes: Uint8Array, codec: number, rows: number, sink: Sink, row0: number): void {
  let pos = 0;
  let row = row0;
  const end = row0 + rows;
  let dictionary: DictionaryValues | null = null;
  while (row < end) {
    if (pos >= bytes.length) throw new Error(`column chunk ended after ${row - row0} of ${rows} rows`);
    const reader = new ThriftReader(bytes, pos);
    const header = reader.readStruct();
    pos = reader.pos;
    const type = num(header[1]);
    const uncompressedSize = num(header[2]);
    const compressedSize = num(header[3]);
    const body = bytes.subarray(pos, pos + compressedSize);
    pos += compressedSize;
    if (type === PageType.DICTIONARY_PAGE) {
      const dh = header[7] as ThriftStruct;
      const page = decompress(body, codec, uncompressedSize);
      dictionary = decodePlain(page, 0, num(dh[1]), sink);
    } else if (type === PageType.DATA_PAGE) {
      const dh = header[5] as ThriftStruct;
      const n = num(dh[1]);
      const page = decompress(body, codec, uncompressedSize);
      let p = 0;
      let defs: Uint8Array | null = null;
      if (sink.leaf.optional) {
        const len = page[p] | (page[p + 1] << 8) | (page[p + 2] << 16) | (page[p + 3] << 24);
        defs = decodeLevels(page, p + 4, p + 4 + len, n);
        p += 4 + len;
      }
      storeValues(page, p, num(dh[2]), n, defs, dictionary, sink, row);
      row += n;
    } else if (type === PageType.DATA_PAGE_V2) {
      const dh = header[8] as ThriftStruct;
      const n = num(dh[1]);
      const defLength = num(dh[5]);
      const repLength = num(dh[6]);
      const compressed = dh[7] === undefined ? true : dh[7] === true;
      const defs =
        sink.leaf.optional && defLength > 0 ? decodeLevels(body, repLength, repLength + defLength, n) : null;
      const valuesPart = body.subarray(repLength + defLength);
      const page = compressed
        ? decompress(valuesPart, codec, uncompressedSize - repLength - defLength)
        : valuesPart;
      storeValues(page, 0, num(dh[4]), n, defs, dictionary, sink, row);
      row += n;
    }
    // Index pages and unknown page types are skipped.
  }
}

type DictionaryValues = Float64Array | Float32Array | Int32Array | Uint8Array;

/** Definition levels of a flat optional column (max level 1): 1 = value present. */
function decodeLevels(buf: Uint8Array, start: number, end: number, n: number): Uint8Array {
  const out = new Int32Array(n);
  decodeHybrid(buf, start, end, 1, n, out);
  return Uint8Array.from(out);
}

/**
 * Values of a data page into the sink at `row`. `defs` (1 = present) spreads
 * the non-null values over the rows; null rows get NaN / -1 / a null flag.
 */
function storeValues(
  page: Uint8Array,
  p: number,
  encoding: number,
  n: number,
  defs: Uint8Array | null,
  dictionary: DictionaryValues | null,
  sink: Sink,
  row: number,
): void {
  let present = n;
  if (defs !== null) {
    present = 0;
    for (let k = 0; k < n; k++) present += defs[k];
  }
  let dense: DictionaryValues;
  if (encoding === Encoding.PLAIN_DICTIONARY || encoding === Encoding.RLE_DICTIONARY) {
    if (dictionary === null) throw new Error('dictionary-encoded page without a dictionary page');
    const bitWidth = page[p];
    const idx = new Int32Array(present);
    decodeHybrid(page, p + 1, page.length, bitWidth, present, idx);
    dense = gather(dictionary, idx);
  } else if (encoding === Encoding.PLAIN) {
    dense = decodePlain(page, p, present, sink);
  } else {
    throw new InputError(
      `column ${sink.leaf.name} uses parquet encoding ${encoding}, which is not supported (PLAIN and dictionary only); ` +
        'rewrite the file with default pyarrow options (use_dictionary=True, no column_encoding)',
    );
  }
  const out = sink.values;
  const scale = sink.leaf.toMs;
  if (defs === null) {
    if (scale !== 1) for (let k = 0; k < n; k++) out[row + k] = dense[k] * scale;
    else out.set(dense as never, row);
    return;
  }
  const isFloat = sink.leaf.kind === 'double' || sink.leaf.kind === 'float';
  const isString = sink.leaf.kind === 'string';
  for (let k = 0, j = 0; k < n; k++) {
    if (defs[k] === 1) out[row + k] = dense[j++] * scale;
    else if (isFloat) out[row + k] = NaN;
    else if (isString) out[row + k] = -1;
    else {
      if (sink.nulls === null) sink.nulls = new Uint8Array(out.length);
      sink.nulls[row + k] = 1;
    }
  }
}

function gather(dictionary: DictionaryValues, idx: Int32Array): DictionaryValues {
  const out = new (dictionary.constructor as new (n: number) => DictionaryValues)(idx.length);
  const size = dictionary.length;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (i >= size) throw new Error(`dictionary index ${i} outside a dictionary of ${size}`);
    out[k] = dictionary[i];
  }
  return out;
}

/** `n` PLAIN values of the sink's physical type; strings become file-wide dictionary ids. */
function decodePlain(page: Uint8Array, p: number, n: number, sink: Sink): DictionaryValues {
  switch (sink.leaf.physical) {
    case PhysicalType.DOUBLE:
      return new Float64Array(copyAligned(page, p, n * 8));
    case PhysicalType.FLOAT:
      return new Float32Array(copyAligned(page, p, n * 4));
    case PhysicalType.INT32:
      return new Int32Array(copyAligned(page, p, n * 4));
    case PhysicalType.INT64: {
      const view = new DataView(page.buffer, page.byteOffset + p, n * 8);
      const out = new Float64Array(n);
      for (let k = 0; k < n; k++)
        out[k] = view.getUint32(8 * k, true) + view.getInt32(8 * k + 4, true) * 4294967296;
      return out;
    }
    case PhysicalType.BOOLEAN: {
      const out = new Uint8Array(n);
      for (let k = 0; k < n; k++) out[k] = (page[p + (k >> 3)] >> (k & 7)) & 1;
      return out;
    }
    case PhysicalType.BYTE_ARRAY: {
      const out = new Int32Array(n);
      const buf = Buffer.from(page.buffer, page.byteOffset, page.byteLength);
      for (let k = 0; k < n; k++) {
        const len = buf.readUInt32LE(p);
        const s = buf.toString('utf8', p + 4, p + 4 + len);
        p += 4 + len;
        let id = sink.ids.get(s);
        if (id === undefined) {
          id = sink.dictionary.length;
          sink.ids.set(s, id);
          sink.dictionary.push(s);
        }
        out[k] = id;
      }
      return out;
    }
    default:
      throw new Error(`physical type ${sink.leaf.physical} not supported`);
  }
}

function copyAligned(page: Uint8Array, p: number, bytes: number): ArrayBuffer {
  if (p + bytes > page.length)
    throw new Error(`page holds ${page.length - p} value bytes, ${bytes} expected`);
  const out = new Uint8Array(bytes);
  out.set(page.subarray(p, p + bytes));
  return out.buffer;
}

/** RLE / bit-packing hybrid decoder (parquet-format Encodings.md). */
export function decodeHybrid(
  buf: Uint8Array,
  pos: number,
  end: number,
  bitWidth: number,
  n: number,
  out: Int32Array,
): void {
  const byteWidth = (bitWidth + 7) >> 3;
  const mask = bitWidth >= 32 ? 0xffffffff : 2 ** bitWidth - 1;
  let k = 0;
  while (k < n) {
    if (pos >= end) throw new Error(`RLE data ended after ${k} of ${n} values`);
    let header = 0;
    let mul = 1;
    for (;;) {
      const b = buf[pos++];
      header += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) break;
      mul *= 128;
    }
    if (header % 2 === 0) {
      const count = header / 2;
      let v = 0;
      for (let b = 0; b < byteWidth; b++) v += buf[pos++] * 2 ** (8 * b);
      const stop = Math.min(n, k + count);
      out.fill(v, k, stop);
      k = stop;
    } else {
      const values = ((header - 1) / 2) * 8;
      let acc = 0;
      let bits = 0;
      if (bitWidth <= 24) {
        // Integer fast path: at most 24 + 7 bits are ever pending.
        for (let j = 0; j < values; j++) {
          while (bits < bitWidth) {
            acc |= buf[pos++] << bits;
            bits += 8;
          }
          if (k < n) out[k++] = acc & mask;
          acc >>>= bitWidth;
          bits -= bitWidth;
        }
      } else {
        for (let j = 0; j < values; j++) {
          while (bits < bitWidth) {
            acc += buf[pos++] * 2 ** bits;
            bits += 8;
          }
          const v = acc % (mask + 1);
          acc = Math.floor(acc / (mask + 1));
          bits -= bitWidth;
          if (k < n) out[k++] = v;
        }
      }
    }
  }
}

function decompress(body: Uint8Array, codec: number, uncompressedSize: number): Uint8Array {
  switch (codec) {
    case Codec.UNCOMPRESSED:
      return body;
    case Codec.SNAPPY:
      return snappyUncompress(body, uncompressedSize);
    case Codec.GZIP:
      return gunzipSync(body);
    case Codec.BROTLI:
      return brotliDecompressSync(body);
    default:
      throw new InputError(
        `parquet codec ${CODEC_NAMES[codec] ?? codec} is not supported (uncompressed, snappy, gzip, brotli are); ` +
          "rewrite the file with compression='snappy'",
      );
  }
}

function readAt(fd: number, position: number, length: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new InputError(`unexpected end of file at byte ${position + done}`);
    done += n;
  }
  return out;
}

function num(v: ThriftValue | undefined): number {
  if (typeof v !== 'number') throw new Error(`parquet metadata: expected a number, got ${String(v)}`);
  return v;
}

function text(v: ThriftValue | undefined): string {
  if (!(v instanceof Uint8Array)) throw new Error('parquet metadata: expected a string');
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
}
