/**
 * Growth of the struct-of-arrays state when a new instrument id appears.
 * Capacity doubles, so over a run the copies cost O(final size) in total.
 */
export function nextCapacity(current: number, needed: number): number {
  let capacity = Math.max(current, 16);
  while (capacity < needed) capacity *= 2;
  return capacity;
}

export function growFloat64(old: Float64Array, length: number, fill = 0): Float64Array<ArrayBuffer> {
  const grown = new Float64Array(length);
  if (fill !== 0) grown.fill(fill, old.length);
  grown.set(old);
  return grown;
}

export function growInt32(old: Int32Array, length: number, fill = 0): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(length);
  if (fill !== 0) grown.fill(fill, old.length);
  grown.set(old);
  return grown;
}

export function growUint8(old: Uint8Array, length: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(length);
  grown.set(old);
  return grown;
}
