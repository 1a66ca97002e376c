/**
 * Number and date parsing straight from bytes, without building a string per
 * cell. Numbers take Clinger's fast path (at most 15 significant digits and a
 * power of ten up to 1e22: one exactly rounded multiply or divide, so the
 * result equals `Number(text)` bit for bit); anything else falls back to
 * `Number` on the decoded text.
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
  let mantissa = 0;
  let significant = 0;
  let exponent = 0;
  let digits = 0;
  while (p < end) {
    const d = buf[p] - 48;
    if (d < 0 || d > 9) break;
    if (significant > 0 || d !== 0) significant++;
    mantissa = mantissa * 10 + d;
    digits++;
    p++;
  }
  if (p < end && buf[p] === 46) {
    p++;
    while (p < end) {
      const d = buf[p] - 48;
      if (d < 0 || d > 9) break;
      if (significant > 0 || d !== 0) significant++;
      mantissa = mantissa * 10 + d;
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
    // Valid decimal syntax, too many digits for the fast path (e.g. 17-digit
    // doubles written by pandas): Number() rounds correctly, no regex needed.
    return Number(buf.toString('latin1', start, end));
  }
  return parseNumberText(buf.toString('latin1', start, end));
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
