/**
 * Stable argsort of float64 pairs by (x, then y) ascending: exactly the order
 * `order.sort((a, b) => x[a] - x[b] || y[a] - y[b])` gives for values without
 * NaN (-0 and +0 compare equal there, so they do here; full ties keep index
 * order). LSD radix sort on 16-bit digits of the values' order-preserving bit
 * patterns, y first and x last: at most 8 counting passes over the index, no
 * comparator callbacks (several times faster on the ~10 M OOF rows isotonic
 * calibration sorts at US scale). O(n) time, O(n) memory.
 */
import { endianness } from 'node:os';

const DIGIT_BITS = 16;
const DIGITS = 1 << DIGIT_BITS;
const LITTLE_ENDIAN = endianness() === 'LE';
/** Offset of an element's low 32-bit word within its two words (high: 1 - LOW_WORD). */
const LOW_WORD = LITTLE_ENDIAN ? 0 : 1;

export function pairOrder(x: Float64Array, y: Float64Array): Int32Array {
  const n = x.length;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const counts = new Int32Array(DIGITS);
  for (const values of [y, x]) {
    const bits = sortableBits(values);
    for (const [word, shift] of [
      [LOW_WORD, 0],
      [LOW_WORD, DIGIT_BITS],
      [1 - LOW_WORD, 0],
      [1 - LOW_WORD, DIGIT_BITS],
    ]) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[(bits[2 * i + word] >>> shift) & (DIGITS - 1)]++;
      if (counts[(bits[word] >>> shift) & (DIGITS - 1)] === n) continue; // one bucket: nothing moves
      let start = 0;
      for (let d = 0; d < DIGITS; d++) {
        const c = counts[d];
        counts[d] = start;
        start += c;
      }
      for (let k = 0; k < n; k++) {
        const i = order[k];
        next[counts[(bits[2 * i + word] >>> shift) & (DIGITS - 1)]++] = i;
      }
      [order, next] = [next, order];
    }
  }
  return order;
}

/**
 * The values' IEEE-754 bits turned into unsigned keys that sort like the
 * numbers: -0 becomes +0, negatives have every bit flipped, non-negatives
 * the sign bit set.
 */
function sortableBits(values: Float64Array): Uint32Array {
  const copy = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) copy[i] = values[i] + 0;
  const bits = new Uint32Array(copy.buffer);
  const hi = 1 - LOW_WORD;
  for (let w = 0; w < bits.length; w += 2) {
    if (bits[w + hi] & 0x80000000) {
      bits[w] = ~bits[w];
      bits[w + 1] = ~bits[w + 1];
    } else {
      bits[w + hi] |= 0x80000000;
    }
  }
  return bits;
}
