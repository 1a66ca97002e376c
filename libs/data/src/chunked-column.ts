/**
 * Append-only columns stored in fixed-size chunks. Sources do not know their
 * row count up front; doubling a single typed array would copy every value
 * log2(n) times and briefly hold 1.5–2x the memory. Chunks grow without copies
 * and can be released one column at a time while the final panel is gathered.
 * Two classes rather than one generic over the array type: each `push` on the
 * parsers' per-value path then sees one typed-array kind and stays monomorphic.
 */
export const CHUNK_BITS = 16;
export const CHUNK_SIZE = 1 << CHUNK_BITS;
const CHUNK_MASK = CHUNK_SIZE - 1;

export class ChunkedFloat64 {
  private chunks: Float64Array[] = [];
  private current: Float64Array = new Float64Array(0);
  private used = CHUNK_SIZE;
  length = 0;

  push(value: number): void {
    if (this.used === CHUNK_SIZE) {
      this.current = new Float64Array(CHUNK_SIZE);
      this.chunks.push(this.current);
      this.used = 0;
    }
    this.current[this.used++] = value;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
  }

  /** Values at `order[k]` for every k; frees the chunks afterwards (the column is then empty). */
  gatherAndRelease(order: Int32Array | null): Float64Array {
    const out = new Float64Array(order === null ? this.length : order.length);
    if (order === null) {
      for (let c = 0, k = 0; c < this.chunks.length; c++) {
        const chunk = this.chunks[c];
        const n = Math.min(CHUNK_SIZE, this.length - k);
        out.set(n === CHUNK_SIZE ? chunk : chunk.subarray(0, n), k);
        k += n;
      }
    } else {
      const chunks = this.chunks;
      for (let k = 0; k < order.length; k++) {
        const i = order[k];
        out[k] = chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
      }
    }
    this.chunks = [];
    this.length = 0;
    this.used = CHUNK_SIZE;
    return out;
  }
}

export class ChunkedInt32 {
  private chunks: Int32Array[] = [];
  private current: Int32Array = new Int32Array(0);
  private used = CHUNK_SIZE;
  length = 0;

  push(value: number): void {
    if (this.used === CHUNK_SIZE) {
      this.current = new Int32Array(CHUNK_SIZE);
      this.chunks.push(this.current);
      this.used = 0;
    }
    this.current[this.used++] = value;
    this.length++;
  }

  get(i: number): number {
    return this.chunks[i >>> CHUNK_BITS][i & CHUNK_MASK];
  }

  /** A contiguous copy (the chunks are kept). */
  toArray(): Int32Array {
    const out = new Int32Array(this.length);
    for (let c = 0, k = 0; c < this.chunks.length; c++) {
      const n = Math.min(CHUNK_SIZE, this.length - k);
      out.set(n === CHUNK_SIZE ? this.chunks[c] : this.chunks[c].subarray(0, n), k);
      k += n;
    }
    return out;
  }

  release(): void {
    this.chunks = [];
    this.length = 0;
    this.used = CHUNK_SIZE;
  }
}
