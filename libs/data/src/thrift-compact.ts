/**
 * The Thrift compact protocol, just enough for Parquet metadata (footer and
 * page headers). Decoding is generic: a struct becomes an object keyed by
 * field id, so the reader picks the fields it knows and skips the rest
 * (newer writers add fields all the time). 64-bit integers are decoded to
 * plain numbers: Parquet offsets and counts stay far below 2^53.
 */
export type ThriftValue = number | boolean | Uint8Array | ThriftValue[] | ThriftStruct;
export interface ThriftStruct {
  [fieldId: number]: ThriftValue;
}

/** Compact-protocol type ids (a plain object: const enums do not survive per-file transpilers). */
export const CT = {
  STOP: 0,
  TRUE: 1,
  FALSE: 2,
  BYTE: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

export class ThriftReader {
  pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
  ) {
    this.pos = start;
  }

  readStruct(): ThriftStruct {
    const out: ThriftStruct = {};
    let lastId = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === CT.STOP) return out;
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag() : lastId + delta;
      lastId = id;
      out[id] = this.value(type);
    }
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case CT.TRUE:
        return true;
      case CT.FALSE:
        return false;
      case CT.BYTE:
        return (this.byte() << 24) >> 24;
      case CT.I16:
      case CT.I32:
      case CT.I64:
        return this.zigzag();
      case CT.DOUBLE: {
        const v = new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).getFloat64(0, true);
        this.pos += 8;
        return v;
      }
      case CT.BINARY: {
        const n = this.varint();
        const v = this.buf.subarray(this.pos, this.pos + n);
        this.pos += n;
        return v;
      }
      case CT.LIST:
      case CT.SET: {
        const header = this.byte();
        let n = header >> 4;
        if (n === 15) n = this.varint();
        const elem = header & 0x0f;
        const out: ThriftValue[] = new Array(n);
        for (let k = 0; k < n; k++)
          out[k] = elem === CT.TRUE || elem === CT.FALSE ? this.byte() === 1 : this.value(elem);
        return out;
      }
      case CT.MAP: {
        const n = this.varint();
        if (n === 0) return [];
        const kv = this.byte();
        const out: ThriftValue[] = [];
        for (let k = 0; k < n; k++) out.push([this.value(kv >> 4), this.value(kv & 0x0f)]);
        return out;
      }
      case CT.STRUCT:
        return this.readStruct();
      default:
        throw new Error(`thrift: unknown compact type ${type} at byte ${this.pos}`);
    }
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new Error('thrift: unexpected end of data');
    return this.buf[this.pos++];
  }

  varint(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  }

  private zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }
}

/** Builds compact-protocol bytes; structs nest through begin/end. */
export class ThriftWriter {
  private bytes: number[] = [];
  private lastIds: number[] = [0];

  fieldHeader(id: number, type: number): void {
    const last = this.lastIds[this.lastIds.length - 1];
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else {
      this.bytes.push(type);
      this.writeZigzag(id);
    }
    this.lastIds[this.lastIds.length - 1] = id;
  }

  i32(id: number, v: number): void {
    this.fieldHeader(id, CT.I32);
    this.writeZigzag(v);
  }

  i64(id: number, v: number): void {
    this.fieldHeader(id, CT.I64);
    this.writeZigzag(v);
  }

  bool(id: number, v: boolean): void {
    this.fieldHeader(id, v ? CT.TRUE : CT.FALSE);
  }

  binary(id: number, v: string | Uint8Array): void {
    this.fieldHeader(id, CT.BINARY);
    this.writeBinary(v);
  }

  beginStruct(id: number): void {
    this.fieldHeader(id, CT.STRUCT);
    this.lastIds.push(0);
  }

  endStruct(): void {
    this.bytes.push(CT.STOP);
    this.lastIds.pop();
  }

  /** A list field; `each` writes one element (structs: call beginListStruct/endStruct inside). */
  list<T>(id: number, elemType: number, items: readonly T[], each: (item: T) => void): void {
    this.fieldHeader(id, CT.LIST);
    if (items.length < 15) this.bytes.push((items.length << 4) | elemType);
    else {
      this.bytes.push(0xf0 | elemType);
      this.writeVarint(items.length);
    }
    for (const item of items) each(item);
  }

  /** Start of a struct that is a list element (no field header). */
  beginListStruct(): void {
    this.lastIds.push(0);
  }

  listI32(v: number): void {
    this.writeZigzag(v);
  }

  listBinary(v: string | Uint8Array): void {
    this.writeBinary(v);
  }

  /** Ends the outermost struct and returns its bytes. */
  finish(): Uint8Array {
    this.bytes.push(CT.STOP);
    return Uint8Array.from(this.bytes);
  }

  private writeBinary(v: string | Uint8Array): void {
    const b = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
    this.writeVarint(b.length);
    for (let k = 0; k < b.length; k++) this.bytes.push(b[k]);
  }

  private writeVarint(n: number): void {
    while (n >= 128) {
      this.bytes.push((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    this.bytes.push(n);
  }

  private writeZigzag(v: number): void {
    this.writeVarint(v >= 0 ? v * 2 : -v * 2 - 1);
  }
}
