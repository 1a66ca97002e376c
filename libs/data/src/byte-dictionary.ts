/**
 * Maps byte strings (cells of a CSV buffer) to ids without decoding them:
 * open addressing on an FNV-1a hash, keys kept in one growing byte pool.
 * Saves a string allocation and a Map look-up per row for the instrument
 * and industry columns, where a handful of thousand keys repeat millions of
 * times.
 */
export class ByteDictionary {
  private slots: Int32Array = new Int32Array(1024).fill(-1); // entry index or -1
  private hashes: Int32Array = new Int32Array(512);
  private ids: Int32Array = new Int32Array(512);
  private starts: Int32Array = new Int32Array(512);
  private lengths: Int32Array = new Int32Array(512);
  private pool: Uint8Array = new Uint8Array(1 << 14);
  private poolUsed = 0;
  private count = 0;

  /** The id stored for `buf[start, end)`, or -1. */
  get(buf: Uint8Array, start: number, end: number): number {
    const h = hashBytes(buf, start, end);
    const mask = this.slots.length - 1;
    const len = end - start;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s];
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.lengths[e] === len && this.sameBytes(e, buf, start, len))
        return this.ids[e];
    }
  }

  set(buf: Uint8Array, start: number, end: number, id: number): void {
    if (2 * (this.count + 1) > this.slots.length) this.grow();
    const len = end - start;
    if (this.poolUsed + len > this.pool.length) {
      const bigger = new Uint8Array(Math.max(2 * this.pool.length, this.poolUsed + len));
      bigger.set(this.pool);
      this.pool = bigger;
    }
    if (this.count === this.ids.length) {
      this.hashes = growInt(this.hashes);
      this.ids = growInt(this.ids);
      this.starts = growInt(this.starts);
      this.lengths = growInt(this.lengths);
    }
    const e = this.count++;
    this.pool.set(buf.subarray(start, end), this.poolUsed);
    this.starts[e] = this.poolUsed;
    this.lengths[e] = len;
    this.poolUsed += len;
    this.hashes[e] = hashBytes(buf, start, end);
    this.ids[e] = id;
    this.place(e);
  }

  private sameBytes(e: number, buf: Uint8Array, start: number, len: number): boolean {
    const pool = this.pool;
    const at = this.starts[e];
    for (let k = 0; k < len; k++) if (pool[at + k] !== buf[start + k]) return false;
    return true;
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let s = this.hashes[e] & mask;
    while (this.slots[s] >= 0) s = (s + 1) & mask;
    this.slots[s] = e;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let e = 0; e < this.count; e++) this.place(e);
  }
}

function growInt(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ buf[k], 0x01000193);
  return h & 0x7fffffff;
}
