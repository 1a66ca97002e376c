/** `values[index[i]]` for every i, in a new array of the same type; O(index.length). */
export function gather<T extends Int32Array | Float64Array>(values: T, index: Int32Array): T {
  const out = new (values.constructor as { new (n: number): T })(index.length);
  for (let i = 0; i < index.length; i++) out[i] = values[index[i]];
  return out;
}
