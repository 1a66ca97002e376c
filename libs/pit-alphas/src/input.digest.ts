/**
 * Digests of what each segment of a point-in-time run reads: the feature
 * rows it trains on and scores (dated up to the segment's last scored date)
 * and the labels visible at its retrain date. A segment's digest depends on
 * nothing later, so appending new dates to the data leaves the digests of
 * the earlier segments unchanged (their cached alphas stay valid) while a
 * restated bar changes every digest from its date on.
 *
 * Rows are hashed date by date as bytes: the calendar date, each row's
 * instrument name (as a 32-bit FNV-1a hash, so a re-coded dictionary does
 * not matter), the model feature columns the config uses, the style
 * exposures, and per horizon the aligned label values. One SHA-256 pass per
 * stream (features, each horizon's labels), copied at every segment
 * boundary: O(rows × columns) bytes hashed, about a second per 100 MB.
 */
import { createHash, type Hash } from 'node:crypto';
import { dateOffsets, type FeatureFrame } from '@alphafeed/core';

export interface DigestInput {
  readonly features: FeatureFrame;
  /** Model features the config uses, in order. */
  readonly featureNames: readonly string[];
  readonly horizons: readonly number[];
  /** Label of each horizon aligned on the feature rows (NaN where none). */
  readonly labels: readonly Float64Array[];
  readonly retrainDates: Int32Array;
  readonly ends: Int32Array;
}

/** Hex digest per segment j of the feature rows dated <= ends[j] and the labels visible at retrainDates[j]. */
export function segmentDigests(input: DigestInput): string[] {
  const { features: f, retrainDates, ends } = input;
  const m = retrainDates.length;
  const offsets = dateOffsets(f.date, f.calendar.length);
  const nameHash = Int32Array.from(f.instruments, fnv1a);
  const columns = [
    ...input.featureNames.map((name) => {
      const j = f.featureNames.indexOf(name);
      if (j < 0) throw new Error(`digest: the frame has no feature ${name}`);
      return f.features[j];
    }),
    f.beta252,
    f.size,
    f.momentum,
  ];

  const featureDigests = new Array<string>(m);
  const hash = createHash('sha256').update(JSON.stringify({ features: input.featureNames }));
  const scratch = new Int32Array(maxRowsPerDate(offsets));
  const header = new Int32Array(1);
  let next = 0;
  for (let d = 0; next < m; d++) {
    const lo = offsets[d];
    const hi = offsets[d + 1];
    hash.update(f.calendar[d]);
    header[0] = hi - lo;
    hash.update(bytes(header));
    for (let i = lo; i < hi; i++) scratch[i - lo] = nameHash[f.instrument[i]];
    hash.update(bytes(scratch.subarray(0, hi - lo)));
    for (const c of columns) hash.update(bytes(c.subarray(lo, hi)));
    while (next < m && ends[next] === d) featureDigests[next++] = hash.copy().digest('hex');
  }

  const labelDigests = input.horizons.map((k, h) => {
    const out = new Array<string>(m);
    const label = input.labels[h];
    const lh: Hash = createHash('sha256').update(`label ${k}`);
    let j = 0;
    // Labels of the dates t <= T_j - k are the ones visible at T_j.
    while (j < m && retrainDates[j] - k < 0) out[j++] = lh.copy().digest('hex');
    for (let d = 0; j < m; d++) {
      lh.update(bytes(label.subarray(offsets[d], offsets[d + 1])));
      while (j < m && retrainDates[j] - k === d) out[j++] = lh.copy().digest('hex');
    }
    return out;
  });

  return Array.from({ length: m }, (_, j) =>
    createHash('sha256')
      .update([featureDigests[j], ...labelDigests.map((l) => l[j])].join(' '))
      .digest('hex'),
  );
}

function bytes(a: Int32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function maxRowsPerDate(offsets: Int32Array): number {
  let max = 0;
  for (let d = 0; d + 1 < offsets.length; d++) max = Math.max(max, offsets[d + 1] - offsets[d]);
  return max;
}

/** 32-bit FNV-1a of a string's UTF-16 code units. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
