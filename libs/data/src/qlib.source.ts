import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, parseIsoDay } from '@alphafeed/core';
import { BarRecord } from './bar-admission';
import { BarAccumulator } from './bar.accumulator';
import { MembershipTable } from './membership.table';
import { DEFAULT_QLIB_MARKET } from './source-spec.parser';
import type { RejectReason } from './rejects';
import type { SourceContext, SourceOutput } from './source.types';

/** Fields read from `features/<code>/<field>.day.bin`; the first five are required. */
export const QLIB_REQUIRED_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
/** `amount` is Qlib's; `shares_out` is an alphafeed extension written by writeQlibDir. */
export const QLIB_OPTIONAL_FIELDS = ['amount', 'shares_out'] as const;

/**
 * Bars from a Qlib binary data directory (`calendars/day.txt`,
 * `instruments/<market>.txt`, `features/<code lower-cased>/<field>.day.bin`,
 * little-endian float32 with the first float the start index into the
 * calendar).
 *
 * Adjustment: Qlib's collectors store prices already adjusted
 * (`$close = raw close x $factor`, `$volume = raw volume / $factor`, see
 * qlib scripts/data_collector/yahoo/collector.py `adjusted_price`), which is
 * exactly SPEC §1's adjusted bar. So the stored values are used as they are
 * and `factor.day.bin` is not applied again (nor read).
 *
 * A calendar date where open, high, low, close and volume are all NaN is no
 * bar (Qlib writes suspensions that way) and is not counted as a row read;
 * a date with some but not all of them is a row, checked and rejected like
 * any other.
 *
 * Market files: `all` (what `dump_bin` writes: each instrument's first and
 * last date) lists the instruments to read, and only dates inside its spans
 * are read. Any other market (`csi300.txt`, ...) is an index membership
 * with dated spells, read as Qlib reads it: every bar of a listed
 * instrument is read (its history), and the spells become the result's
 * `membership`, which selects the rows of each date (SPEC §1). Overlapping
 * spans are merged. `line` in the rejects file is the row's position in
 * reading order (instrument by instrument, date by date). Industries come
 * from the industry table only.
 */
export async function readQlibBars(dir: string, market: string, ctx: SourceContext): Promise<SourceOutput> {
  if (ctx.industryTable === null) {
    throw new InputError(
      `qlib directory ${dir} carries no industry; pass an industry table (industryTable / --industry-table)`,
    );
  }
  const calendar = readCalendar(dir);
  const { spans, spells } = readInstruments(dir, market, calendar);
  const isIndex = market !== DEFAULT_QLIB_MARKET;
  // An index market reads each instrument's whole history; its spells select rows later.
  if (isIndex) for (const code of spans.keys()) spans.set(code, [[0, calendar.length - 1]]);
  const codes = [...spans.keys()].sort();
  if (codes.length === 0)
    throw new InputError(`qlib market file ${join(dir, 'instruments', `${market}.txt`)} lists no instrument`);
  const optional = QLIB_OPTIONAL_FIELDS.filter((f) => codes.some((c) => existsSync(fieldPath(dir, c, f))));
  const hasAmount = optional.includes('amount');
  const hasShares = optional.includes('shares_out');
  const acc = new BarAccumulator({
    hasAmount,
    hasSharesOut: hasShares,
    admission: ctx.admission,
    rejects: ctx.rejects,
  });
  const admission = ctx.admission;
  const bar = new BarRecord();

  const calendarDays = Int32Array.from(calendar, (d) => parseIsoDay(d));
  let rowsRead = 0;
  for (let k = 0; k < codes.length; k++) {
    const code = codes[k];
    const fields = QLIB_REQUIRED_FIELDS.map((f) => readField(dir, code, f, calendar.length, true));
    const amount = hasAmount ? readField(dir, code, 'amount', calendar.length, false) : null;
    const shares = hasShares ? readField(dir, code, 'shares_out', calendar.length, false) : null;
    const [open, high, low, close, volume] = fields;
    const inst = admission.instrumentId(code);
    for (const [from, to] of spans.get(code) as [number, number][]) {
      for (let t = from; t <= to; t++) {
        const o = at(open, t);
        const h = at(high, t);
        const l = at(low, t);
        const c = at(close, t);
        const v = at(volume, t);
        if (Number.isNaN(o) && Number.isNaN(h) && Number.isNaN(l) && Number.isNaN(c) && Number.isNaN(v))
          continue;
        rowsRead++;
        const a = amount === null ? NaN : at(amount, t);
        const s = shares === null ? NaN : at(shares, t);
        bar.day = calendarDays[t];
        bar.instrument = inst;
        bar.industry = -1; // from the industry table
        bar.unparsable = false;
        bar.open = o;
        bar.high = h;
        bar.low = l;
        bar.close = c;
        bar.volume = v;
        bar.amount = a;
        bar.sharesOut = s;
        bar.factor = 1; // stored values are adjusted already (see above)
        const refused = admission.admit(bar);
        if (refused !== null) {
          rejectRow(ctx, rowsRead, refused, calendar[t], code, o, h, l, c, v, amount === null ? null : a);
          continue;
        }
        acc.append(rowsRead, bar);
      }
    }
    ctx.onProgress?.(k + 1, codes.length);
  }
  const marketPath = join(dir, 'instruments', `${market}.txt`);
  return {
    panel: acc.finish(),
    rowsRead,
    hasAmount,
    hasSharesOut: hasShares,
    membership: isIndex ? MembershipTable.fromSpells(`qlib market file ${marketPath}`, spells) : null,
  };
}

/** Rejects file entry of a Qlib row: its values as the other sources would print them. */
function rejectRow(
  ctx: SourceContext,
  row: number,
  reason: RejectReason,
  date: string,
  code: string,
  ...values: (number | null)[]
): void {
  ctx.rejects.add(row, reason, [date, code, ...values.filter((v) => v !== null)].join(','));
}

function fieldPath(dir: string, code: string, field: string): string {
  return join(dir, 'features', code.toLowerCase(), `${field}.day.bin`);
}

function readCalendar(dir: string): string[] {
  const path = join(dir, 'calendars', 'day.txt');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(
      `qlib directory ${dir} has no readable calendars/day.txt: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const days = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  for (let k = 0; k < days.length; k++) {
    const d = days[k].slice(0, 10);
    if (Number.isNaN(parseIsoDay(d)) || (k > 0 && d <= days[k - 1].slice(0, 10))) {
      throw new InputError(
        `qlib calendar ${path} line ${k + 1}: "${days[k]}" is not a YYYY-MM-DD date after the previous one`,
      );
    }
    days[k] = d;
  }
  return days;
}

/**
 * From `instruments/<market>.txt` (`CODE\tstart\tend`): per code the
 * inclusive calendar index spans (merged) and the spells as day numbers.
 */
function readInstruments(
  dir: string,
  market: string,
  calendar: readonly string[],
): { spans: Map<string, [number, number][]>; spells: Map<string, [number, number][]> } {
  const path = join(dir, 'instruments', `${market}.txt`);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InputError(
      `qlib market file ${path} is not readable (market "${market}"): ${(err as Error).message}`,
      { cause: err },
    );
  }
  const out = new Map<string, [number, number][]>();
  const spells = new Map<string, [number, number][]>();
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k].trim();
    if (line === '') continue;
    const [code, start, end] = line.split(/\s+/);
    if (
      code === undefined ||
      start === undefined ||
      end === undefined ||
      Number.isNaN(parseIsoDay(start)) ||
      Number.isNaN(parseIsoDay(end))
    ) {
      throw new InputError(
        `qlib market file ${path} line ${k + 1}: "${line}" is not CODE<tab>YYYY-MM-DD<tab>YYYY-MM-DD`,
      );
    }
    let codeSpells = spells.get(code);
    if (codeSpells === undefined) spells.set(code, (codeSpells = []));
    codeSpells.push([parseIsoDay(start), parseIsoDay(end)]);
    const from = lowerBound(calendar, start);
    const to = lowerBound(calendar, end) - (calendar[lowerBound(calendar, end)] === end ? 0 : 1);
    if (to < from) continue;
    let list = out.get(code);
    if (list === undefined) out.set(code, (list = []));
    list.push([from, Math.min(to, calendar.length - 1)]);
  }
  // Overlapping or touching spans of one code are merged, so no date is read twice.
  for (const [code, list] of out) {
    list.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const span of list) {
      const last = merged[merged.length - 1];
      if (last !== undefined && span[0] <= last[1] + 1) last[1] = Math.max(last[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    out.set(code, merged);
  }
  return { spans: out, spells };
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A field file: values of calendar dates `start ..`; dates outside are NaN. */
interface Series {
  readonly start: number;
  readonly values: Float32Array;
}

function at(series: Series, t: number): number {
  const k = t - series.start;
  return k >= 0 && k < series.values.length ? series.values[k] : NaN;
}

/**
 * One field file, kept as float32 (one aligned copy; Node runs
 * little-endian only). A missing required file is an InputError; a missing
 * optional one reads as all NaN.
 */
function readField(dir: string, code: string, field: string, days: number, required: boolean): Series {
  const path = fieldPath(dir, code, field);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if (!required) return { start: 0, values: new Float32Array(0) };
    throw new InputError(
      `qlib field file ${path} is missing for instrument ${code}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  if (bytes.length % 4 !== 0 || bytes.length < 4)
    throw new InputError(
      `qlib field file ${path} has ${bytes.length} bytes, not a whole number of float32 values`,
    );
  const n = bytes.length / 4 - 1;
  const start = bytes.readFloatLE(0);
  if (!Number.isInteger(start) || start < 0 || start + n > days) {
    throw new InputError(
      `qlib field file ${path}: start index ${start} with ${n} values does not fit the ${days}-day calendar`,
    );
  }
  return {
    start,
    values: new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + bytes.length)),
  };
}
