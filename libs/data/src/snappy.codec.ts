/**
 * Snappy raw block format (no framing), as Parquet uses it: pyarrow's
 * default codec. Decompression is a byte loop over literal and copy tags;
 * compression is the classic greedy hash-table matcher (one 4-byte hash per
 * position, 16K entries per 64 KiB block, snappy's skip-ahead on misses),
 * good enough for our own files.
 */
export function snappyUncompress(input: Uint8Array, expectedLength?: number): Uint8Array {
  let pos = 0;
  let length = 0;
  let shift = 0;
  for (;;) {
    const b = input[pos++];
    length += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
    if (shift > 35) throw new Error('snappy: bad length header');
  }
  if (expectedLength !== undefined && length !== expectedLength) {
    throw new Error(`snappy: block says ${length} bytes, page header says ${expectedLength}`);
  }
  const out = new Uint8Array(length);
  let o = 0;
  const n = input.length;
  while (pos < n) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = (tag >>> 2) + 1;
      if (len > 60) {
        const bytes = len - 60;
        len = 0;
        for (let k = 0; k < bytes; k++) len |= input[pos++] << (8 * k);
        len = (len >>> 0) + 1;
      }
      if (pos + len > n || o + len > length) throw new Error('snappy: literal runs past the end');
      // Short literals: a byte loop beats creating a subarray view.
      if (len < 32) for (let k = 0; k < len; k++) out[o + k] = input[pos + k];
      else out.set(input.subarray(pos, pos + len), o);
      pos += len;
      o += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[pos++];
    } else if (kind === 2) {
      len = (tag >>> 2) + 1;
      offset = input[pos] | (input[pos + 1] << 8);
      pos += 2;
    } else {
      len = (tag >>> 2) + 1;
      offset = (input[pos] | (input[pos + 1] << 8) | (input[pos + 2] << 16) | (input[pos + 3] << 24)) >>> 0;
      pos += 4;
    }
    if (offset === 0 || offset > o || o + len > length) throw new Error('snappy: bad copy');
    if (offset >= len && len >= 32) out.copyWithin(o, o - offset, o - offset + len);
    else for (let k = 0; k < len; k++) out[o + k] = out[o + k - offset]; // byte order matters when they overlap
    o += len;
  }
  if (o !== length) throw new Error(`snappy: produced ${o} of ${length} bytes`);
  return out;
}

const BLOCK = 1 << 16;
const HASH_BITS = 14;

export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(32 + input.length + Math.ceil(input.length / 6));
  let o = 0;
  let n = input.length;
  while (n >= 128) {
    out[o++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[o++] = n;
  const table = new Int32Array(1 << HASH_BITS);
  for (let blockStart = 0; blockStart < input.length; blockStart += BLOCK) {
    const blockEnd = Math.min(input.length, blockStart + BLOCK);
    table.fill(-1);
    let literalStart = blockStart;
    let p = blockStart;
    // Snappy's own heuristic: after 32 misses in a row, look at every 2nd
    // byte, then every 3rd…, so incompressible data (float columns) is
    // skipped through quickly; a match resets it.
    let misses = 32;
    while (p + 4 <= blockEnd) {
      const word = input[p] | (input[p + 1] << 8) | (input[p + 2] << 16) | (input[p + 3] << 24);
      const h = Math.imul(word, 0x1e35a7bd) >>> (32 - HASH_BITS);
      const candidate = table[h];
      table[h] = p;
      if (
        candidate >= 0 &&
        input[candidate] === input[p] &&
        input[candidate + 1] === input[p + 1] &&
        input[candidate + 2] === input[p + 2] &&
        input[candidate + 3] === input[p + 3]
      ) {
        o = emitLiteral(input, literalStart, p, out, o);
        let len = 4;
        while (p + len < blockEnd && input[candidate + len] === input[p + len]) len++;
        o = emitCopy(p - candidate, len, out, o);
        p += len;
        literalStart = p;
        misses = 32;
      } else p += misses++ >> 5;
    }
    o = emitLiteral(input, literalStart, blockEnd, out, o);
  }
  return out.subarray(0, o);
}

function emitLiteral(input: Uint8Array, from: number, to: number, out: Uint8Array, o: number): number {
  const len = to - from;
  if (len === 0) return o;
  const n = len - 1;
  if (n < 60) out[o++] = n << 2;
  else if (n < 1 << 8) {
    out[o++] = 60 << 2;
    out[o++] = n;
  } else if (n < 1 << 16) {
    out[o++] = 61 << 2;
    out[o++] = n & 0xff;
    out[o++] = n >>> 8;
  } else {
    out[o++] = 62 << 2;
    out[o++] = n & 0xff;
    out[o++] = (n >>> 8) & 0xff;
    out[o++] = n >>> 16;
  }
  out.set(input.subarray(from, to), o);
  return o + len;
}

function emitCopy(offset: number, len: number, out: Uint8Array, o: number): number {
  while (len > 0) {
    const chunk = len > 64 ? (len - 64 < 4 ? 60 : 64) : len;
    out[o++] = ((chunk - 1) << 2) | 2;
    out[o++] = offset & 0xff;
    out[o++] = offset >>> 8;
    len -= chunk;
  }
  return o;
}
