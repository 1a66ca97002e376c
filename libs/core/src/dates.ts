/**
 * Dates are ISO `YYYY-MM-DD` strings at the edges and day numbers (days since
 * 1970-01-01, UTC) inside, so that a date column is an Int32Array.
 */
const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of an ISO date, or NaN if the text is not a valid `YYYY-MM-DD` date. */
export function parseIsoDay(text: string): number {
  const m = ISO_DATE.exec(text);
  if (m === null) return NaN;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return NaN;
  return ms / MS_PER_DAY;
}

/** ISO `YYYY-MM-DD` of a day number. */
export function formatIsoDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
