import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { InputError } from '@alphafeed/core';
import { Codec, ConvertedType, Encoding, MAGIC, PageType, PhysicalType, Repetition } from './parquet.format';
import type { ParquetColumnInput, ParquetTableInput } from './parquet.format';
import { snappyCompress } from './snappy.codec';
import { CT, ThriftWriter } from './thrift-compact';

export interface ParquetWriteOptions {
  /** Rows per row group (default 1,048,576): bounds the memory of one column chunk being encoded. */
  readonly rowGroupSize?: number;
  /** Default 'snappy' (what pyarrow writes); 'none' is faster to write and read. */
  readonly compression?: 'none' | 'snappy';
}

interface ChunkMeta {
  readonly physical: number;
  readonly encodings: number[];
  readonly name: string;
  readonly numValues: number;
  readonly uncompressed: number;
  readonly compressed: number;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset: number; // -1 when none
}

/**
 * Writes a flat table as Parquet: REQUIRED columns, one PLAIN data page (v1)
 * per column chunk for numbers and dates, a dictionary page plus an
 * RLE_DICTIONARY data page for strings. Row group by row group, straight to
 * a temporary file next to `path` that is renamed over it at the end, so a
 * reader never sees half a file and memory is one column chunk at a time.
 * Values are written in the machine's byte order, which Node only runs
 * little-endian, as Parquet wants.
 */
export function writeParquet(
  path: string,
  table: ParquetTableInput,
  options: ParquetWriteOptions = {},
): void {
  const rowGroupSize = options.rowGroupSize ?? 1 << 20;
  const codec = (options.compression ?? 'snappy') === 'snappy' ? Codec.SNAPPY : Codec.UNCOMPRESSED;
  if (!(Number.isInteger(rowGroupSize) && rowGroupSize > 0))
    throw new InputError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
  for (const c of table.columns) {
    const n = 'codes' in c ? c.codes.length : c.values.length;
    if (n !== table.length)
      throw new InputError(`parquet column ${c.name} has ${n} values, the table has ${table.length} rows`);
  }
  const names = new Set(table.columns.map((c) => c.name));
  if (names.size !== table.columns.length)
    throw new InputError(`parquet column names repeat: ${table.columns.map((c) => c.name).join(', ')}`);

  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(temp, 'w');
  let offset = 0;
  const write = (bytes: Uint8Array): void => {
    let done = 0;
    while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
    offset += bytes.length;
  };
  try {
    write(MAGIC);
    const rowGroups: { rows: number; chunks: ChunkMeta[]; start: number; bytes: number }[] = [];
    for (let r0 = 0; r0 < table.length || (r0 === 0 && table.length === 0); r0 += rowGroupSize) {
      const r1 = Math.min(table.length, r0 + rowGroupSize);
      const start = offset;
      const chunks = table.columns.map((c) => writeChunk(c, r0, r1, codec, () => offset, write));
      rowGroups.push({ rows: r1 - r0, chunks, start, bytes: offset - start });
      if (table.length === 0) break;
    }
    const footer = encodeFooter(table, rowGroups, codec);
    write(footer);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(footer.length, 0);
    write(len);
    write(MAGIC);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw err;
  }
}

function writeChunk(
  column: ParquetColumnInput,
  r0: number,
  r1: number,
  codec: number,
  position: () => number,
  write: (b: Uint8Array) => void,
): ChunkMeta {
  const n = r1 - r0;
  let uncompressed = 0;
  let compressed = 0;
  const page = (type: number, body: Uint8Array, header: (w: ThriftWriter) => void): void => {
    const packed = codec === Codec.SNAPPY ? snappyCompress(body) : body;
    const w = new ThriftWriter();
    w.i32(1, type);
    w.i32(2, body.length);
    w.i32(3, packed.length);
    header(w);
    const head = w.finish();
    write(head);
    write(packed);
    uncompressed += head.length + body.length;
    compressed += head.length + packed.length;
  };
  const dataPageHeader = (encoding: number) => (w: ThriftWriter) => {
    w.beginStruct(5);
    w.i32(1, n);
    w.i32(2, encoding);
    w.i32(3, Encoding.RLE);
    w.i32(4, Encoding.RLE);
    w.endStruct();
  };

  if (column.type === 'string') {
    const { codes, dictionary } =
      'codes' in column
        ? { codes: column.codes.subarray(r0, r1), dictionary: column.dictionary }
        : dictionaryOf(column.values, r0, r1);
    for (let i = 0; i < codes.length; i++) {
      if (!(codes[i] >= 0 && codes[i] < dictionary.length)) {
        throw new InputError(
          `parquet column ${column.name} row ${r0 + i}: code ${codes[i]} outside its dictionary of ${dictionary.length}`,
        );
      }
    }
    const dictionaryPageOffset = position();
    page(PageType.DICTIONARY_PAGE, plainStrings(dictionary), (w) => {
      w.beginStruct(7);
      w.i32(1, dictionary.length);
      w.i32(2, Encoding.PLAIN);
      w.endStruct();
    });
    const dataPageOffset = position();
    const bitWidth = Math.max(1, Math.ceil(Math.log2(Math.max(2, dictionary.length))));
    page(
      PageType.DATA_PAGE,
      encodeDictionaryIndices(codes, bitWidth),
      dataPageHeader(Encoding.RLE_DICTIONARY),
    );
    return {
      physical: PhysicalType.BYTE_ARRAY,
      encodings: [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY],
      name: column.name,
      numValues: n,
      uncompressed,
      compressed,
      dataPageOffset,
      dictionaryPageOffset,
    };
  }
  const values = column.values.subarray(r0, r1);
  const body = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const dataPageOffset = position();
  page(PageType.DATA_PAGE, body, dataPageHeader(Encoding.PLAIN));
  const physical =
    column.type === 'double'
      ? PhysicalType.DOUBLE
      : column.type === 'float'
        ? PhysicalType.FLOAT
        : PhysicalType.INT32;
  return {
    physical,
    encodings: [Encoding.PLAIN, Encoding.RLE],
    name: column.name,
    numValues: n,
    uncompressed,
    compressed,
    dataPageOffset,
    dictionaryPageOffset: -1,
  };
}

function dictionaryOf(
  values: readonly string[],
  r0: number,
  r1: number,
): { codes: Int32Array; dictionary: string[] } {
  const ids = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(r1 - r0);
  for (let i = r0; i < r1; i++) {
    const v = values[i];
    if (typeof v !== 'string')
      throw new InputError(`parquet string column row ${i} is ${String(v)}, not a string`);
    let id = ids.get(v);
    if (id === undefined) {
      id = dictionary.length;
      ids.set(v, id);
      dictionary.push(v);
    }
    codes[i - r0] = id;
  }
  return { codes, dictionary };
}

function plainStrings(strings: readonly string[]): Uint8Array {
  const encoded = strings.map((s) => Buffer.from(s, 'utf8'));
  const out = Buffer.alloc(encoded.reduce((a, b) => a + 4 + b.length, 0));
  let o = 0;
  for (const b of encoded) {
    out.writeUInt32LE(b.length, o);
    b.copy(out, o + 4);
    o += 4 + b.length;
  }
  return out;
}

/**
 * RLE / bit-packing hybrid with the bit width as first byte. Runs of at
 * least 8 equal values become RLE runs (a date column sorted by date is
 * mostly runs); the rest is bit-packed in groups of 8, the last group
 * zero-padded (readers stop at num_values).
 */
export function encodeDictionaryIndices(codes: Int32Array, bitWidth: number): Uint8Array {
  const n = codes.length;
  const out = new Uint8Array(1 + n * 2 + Math.ceil((n * bitWidth) / 8) + 64);
  let o = 0;
  out[o++] = bitWidth;
  const byteWidth = Math.ceil(bitWidth / 8);
  const varint = (v: number): void => {
    while (v >= 128) {
      out[o++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    out[o++] = v;
  };
  let packedStart = 0; // start of values waiting to be bit-packed
  const flushPacked = (end: number): void => {
    // Bit-packs codes[packedStart, end) in groups of 8; the caller keeps (end - packedStart) % 8 == 0 except at the very end.
    const count = end - packedStart;
    if (count === 0) return;
    const groups = Math.ceil(count / 8);
    varint((groups << 1) | 1);
    let acc = 0;
    let bits = 0;
    for (let k = 0; k < groups * 8; k++) {
      const v = packedStart + k < end ? codes[packedStart + k] : 0;
      acc += v * 2 ** bits;
      bits += bitWidth;
      while (bits >= 8) {
        out[o++] = acc & 0xff;
        acc = Math.floor(acc / 256);
        bits -= 8;
      }
    }
    packedStart = end;
  };
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && codes[j] === codes[i]) j++;
    const run = j - i;
    if (run >= 8) {
      // Pad the pending bit-packed values to a multiple of 8 with the run's first values.
      const pad = (8 - ((i - packedStart) % 8)) % 8;
      if (run - pad >= 8) {
        flushPacked(i + pad);
        varint((run - pad) << 1);
        const v = codes[i];
        for (let b = 0; b < byteWidth; b++) out[o++] = (v >>> (8 * b)) & 0xff;
        packedStart = j;
      }
    }
    i = j;
  }
  flushPacked(n);
  return out.subarray(0, o);
}

function encodeFooter(
  table: ParquetTableInput,
  rowGroups: { rows: number; chunks: ChunkMeta[]; start: number; bytes: number }[],
  codec: number,
): Uint8Array {
  const w = new ThriftWriter();
  w.i32(1, 1);
  const schema: (ParquetColumnInput | null)[] = [null, ...table.columns];
  w.list(2, CT.STRUCT, schema, (c) => {
    w.beginListStruct();
    if (c === null) {
      w.binary(4, 'schema');
      w.i32(5, table.columns.length);
    } else {
      const physical =
        c.type === 'double'
          ? PhysicalType.DOUBLE
          : c.type === 'float'
            ? PhysicalType.FLOAT
            : c.type === 'string'
              ? PhysicalType.BYTE_ARRAY
              : PhysicalType.INT32;
      w.i32(1, physical);
      w.i32(3, Repetition.REQUIRED);
      w.binary(4, c.name);
      if (c.type === 'string' || c.type === 'date') {
        w.i32(6, c.type === 'string' ? ConvertedType.UTF8 : ConvertedType.DATE);
        w.beginStruct(10); // LogicalType union: 1 STRING, 6 DATE
        w.beginStruct(c.type === 'string' ? 1 : 6);
        w.endStruct();
        w.endStruct();
      }
    }
    w.endStruct();
  });
  w.i64(3, table.length);
  w.list(4, CT.STRUCT, rowGroups, (g) => {
    w.beginListStruct();
    w.list(1, CT.STRUCT, g.chunks, (c) => {
      w.beginListStruct();
      w.i64(2, c.dictionaryPageOffset >= 0 ? c.dictionaryPageOffset : c.dataPageOffset);
      w.beginStruct(3);
      w.i32(1, c.physical);
      w.list(2, CT.I32, c.encodings, (e) => w.listI32(e));
      w.list(3, CT.BINARY, [c.name], (s) => w.listBinary(s));
      w.i32(4, codec);
      w.i64(5, c.numValues);
      w.i64(6, c.uncompressed);
      w.i64(7, c.compressed);
      w.i64(9, c.dataPageOffset);
      if (c.dictionaryPageOffset >= 0) w.i64(11, c.dictionaryPageOffset);
      w.endStruct();
      w.endStruct();
    });
    w.i64(
      2,
      g.chunks.reduce((a, c) => a + c.uncompressed, 0),
    );
    w.i64(3, g.rows);
    w.i64(5, g.start);
    w.i64(6, g.bytes);
    w.endStruct();
  });
  w.binary(6, 'alphafeed libs/data parquet.writer');
  return w.finish();
}
