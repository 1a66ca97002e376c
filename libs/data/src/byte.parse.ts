/**
 * Number and date parsing straight from bytes, without building a string per
 * cell. Numbers take Clinger's fast path (at most 15 significant digits and a
 * power of ten up to 1e22: one exactly rounded multiply or divide, so the
 * result equals `Number(text)` bit for bit), then a verified path for 16–19
 * digits (below); anything else falls back to `Number` on the decoded text.
 */
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAN_TOKEN = /^[+-]?nan$/i;
const INF_TOKEN = /^([+-]?)inf(inity)?$/i;

/**
 * The number in `buf[start, end)`; NaN for an empty cell or a NaN token;
 * `undefined` for text that is not a number at all (the caller rejects the row
 * as `bad_number`).
 */
export function parseNumberBytes(buf: Buffer, start: number, end: number): number | undefined {
  while (start < end && buf[start] === 32) start++;
  while (end > start && buf[end - 1] === 32) end--;
  if (start === end) return NaN;
  let p = start;
  let negative = false;
  const c0 = buf[p];
  if (c0 === 45) {
    negative = true;
    p++;
  } else if (c0 === 43) p++;
  // The first 15 significant digits go to `mantissa` (exact), the next ones to `tail`.
  let mantissa = 0;
  let tail = 0;
  let significant = 0;
  let exponent = 0;
  let digits = 0;
  while (p < end) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) break;
    if (significant > 0 || d !== 0) significant++;
    if (significant <= 15) mantissa = mantissa * 10 + d;
    else tail = tail * 10 + d;
    digits++;
    p++;
  }
  if (p < end && buf[p] === 46) {
    p++;
    while (p < end) {
      const d = buf[p] - 48;
      if (d < 0 || d > 9) break;
      if (significant > 0 || d !== 0) significant++;
      if (significant <= 15) mantissa = mantissa * 10 + d;
      else tail = tail * 10 + d;
      exponent--;
      digits++;
      p++;
    }
  }
  if (digits > 0 && p < end && (buf[p] === 101 || buf[p] === 69)) {
    let q = p + 1;
    let expNegative = false;
    if (q < end && (buf[q] === 45 || buf[q] === 43)) {
      expNegative = buf[q] === 45;
      q++;
    }
    let e = 0;
    const expStart = q;
    while (q < end) {
      const d = buf[q] - 48;
      if (d < 0 || d > 9) break;
      e = e * 10 + d;
      q++;
    }
    if (q > expStart && e < 400) {
      exponent += expNegative ? -e : e;
      p = q;
    }
  }
  if (p === end && digits > 0) {
    if (significant <= 15 && exponent >= -22 && exponent <= 22) {
      const v = exponent >= 0 ? mantissa * POW10[exponent] : mantissa / POW10[-exponent];
      if (exponent < 0 || v < 9007199254740992) return negative ? -v : v;
    }
    if (significant <= 19 && exponent <= 0 && exponent >= -22) {
      const v = verifiedQuotient(mantissa, tail, significant - 15, -exponent);
      if (!Number.isNaN(v)) return negative ? -v : v;
    }
    // Valid decimal syntax the fast paths do not settle: Number() rounds
    // correctly, no regex needed.
    return Number(buf.toString('latin1', start, end));
  }
  return parseNumberText(buf.toString('latin1', start, end));
}

// Scratch outputs of the error-free transformations (no allocation per call).
let hiOut = 0;
let loOut = 0;
const SPLITTER = 134217729; // 2^27 + 1
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer); // [low word, high word] on little-endian Node

/** a * b = hiOut + loOut exactly (Dekker's TwoProduct; no FMA in JS). */
function twoProduct(a: number, b: number): void {
  const p = a * b;
  let c = SPLITTER * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLITTER * b;
  const bh = c - (c - b);
  const bl = b - bh;
  hiOut = p;
  loOut = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** a + b = hiOut + loOut exactly (Knuth's TwoSum). */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  hiOut = s;
  loOut = a - (s - bb) + (b - bb);
}

/** The neighbours of a positive normal double, by stepping its bit pattern. */
function nextUp(x: number): number {
  F64[0] = x;
  if (U32[0] === 0xffffffff) {
    U32[0] = 0;
    U32[1]++;
  } else U32[0]++;
  return F64[0];
}

function nextDown(x: number): number {
  F64[0] = x;
  if (U32[0] === 0) {
    U32[0] = 0xffffffff;
    U32[1]--;
  } else U32[0]--;
  return F64[0];
}

/**
 * The correctly rounded double of M / 10^k for a 16–19 digit mantissa
 * M = head * 10^tailDigits + tail (head < 10^15, k <= 22), or NaN when it
 * cannot be settled cheaply (then the caller uses Number()). A candidate is
 * computed with two roundings, then verified exactly: M and candidate * 10^k
 * are formed as exact double-doubles, and their difference D must lie
 * strictly inside the half-gaps to the neighbouring doubles (scaled by 10^k).
 * D is known to about 1e-12 absolute while the half-gaps are >= 0.1, so a
 * margin of 1e-6 relative decides every case but near-ties, which fall back.
 * This is the common shape of shortest round-trip output (17 digits).
 */
function verifiedQuotient(head: number, tail: number, tailDigits: number, k: number): number {
  const scale = POW10[tailDigits];
  const p10 = POW10[k];
  const x = (head * scale + tail) / p10;
  twoProduct(head, scale);
  const ah = hiOut;
  const al = loOut;
  twoSum(ah, tail);
  const s = hiOut;
  const mLow = al + loOut; // small integers: exact
  twoProduct(x, p10);
  const xh = hiOut;
  const xl = loOut;
  twoSum(s, -xh);
  const d = hiOut + (loOut + (mLow - xl));
  const halfUp = (nextUp(x) - x) * 0.5 * p10;
  const halfDown = (x - nextDown(x)) * 0.5 * p10;
  const margin = halfUp * 1e-6;
  return d < halfUp - margin && d > margin - halfDown ? x : NaN;
}

/** Same contract as parseNumberBytes, for text cells. */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return NaN;
  if (DECIMAL.test(t)) return Number(t);
  if (NAN_TOKEN.test(t)) return NaN;
  const inf = INF_TOKEN.exec(t);
  if (inf !== null) return inf[1] === '-' ? -Infinity : Infinity;
  return undefined;
}

/**
 * Day number (days since 1970-01-01) of `YYYY-MM-DD` in `buf[start, end)`, or
 * NaN when it is not exactly that shape or not a real date. Civil-from-days
 * arithmetic (H. Hinnant), no Date object.
 */
export function parseIsoDayBytes(buf: Uint8Array, start: number, end: number): number {
  while (start < end && buf[start] === 32) start++;
  while (end > start && buf[end - 1] === 32) end--;
  if (end - start !== 10 || buf[start + 4] !== 45 || buf[start + 7] !== 45) return NaN;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const d = buf[start + i] - 48;
    if (d < 0 || d > 9) return NaN;
    y = y * 10 + d;
  }
  const m1 = buf[start + 5] - 48;
  const m2 = buf[start + 6] - 48;
  const d1 = buf[start + 8] - 48;
  const d2 = buf[start + 9] - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return NaN;
  const m = m1 * 10 + m2;
  const d = d1 * 10 + d2;
  return daysFromCivil(y, m, d);
}

/** Day number of a calendar date, NaN when month or day is out of range. */
export function daysFromCivil(y: number, m: number, d: number): number {
  if (m < 1 || m > 12 || d < 1) return NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  if (d > monthDays) return NaN;
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
