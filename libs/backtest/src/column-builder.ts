/**
 * Append-only typed columns for logs whose length is not known up front
 * (trades, weights). Capacity doubles, so n pushes cost O(n) amortised;
 * `toArray` returns a trimmed copy, never a view into the spare capacity.
 */
type Typed = Float64Array | Int32Array | Uint8Array;

class TypedBuilder<T extends Typed> {
  private buf: T;
  length = 0;

  constructor(private readonly make: (n: number) => T) {
    this.buf = make(256);
  }

  push(v: number): void {
    if (this.length === this.buf.length) {
      const next = this.make(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }

  /** Overwrites an element already pushed. */
  set(index: number, v: number): void {
    if (!(index >= 0 && index < this.length))
      throw new RangeError(`index ${index} outside [0, ${this.length})`);
    this.buf[index] = v;
  }

  toArray(): T {
    return this.buf.slice(0, this.length) as T;
  }
}

export const float64Builder = (): TypedBuilder<Float64Array> => new TypedBuilder((n) => new Float64Array(n));
export const int32Builder = (): TypedBuilder<Int32Array> => new TypedBuilder((n) => new Int32Array(n));
export const uint8Builder = (): TypedBuilder<Uint8Array> => new TypedBuilder((n) => new Uint8Array(n));
export type { TypedBuilder };
