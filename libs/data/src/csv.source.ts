import { createReadStream, statSync } from 'node:fs';
import type { TransformOptions } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ZlibOptions } from 'node:zlib';
import { InputError } from '@alphafeed/core';
import { BarRecord } from './bar-admission';
import { BarAccumulator } from './bar.accumulator';
import { parseIsoDayBytes, parseNumberBytes } from './byte.parse';
import { ByteDictionary } from './byte-dictionary';
import type { RejectReason } from './rejects';
import { OPTIONAL_BAR_COLUMNS, REQUIRED_BAR_COLUMNS } from './source.types';
import type { SourceContext, SourceOutput } from './source.types';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Field slots: [date, instrument, open, high, low, close, volume, amount, shares_out, industry, factor]. */
const SLOT_NAMES = [...REQUIRED_BAR_COLUMNS, ...OPTIONAL_BAR_COLUMNS];
const S_DATE = 0;
const S_INST = 1;
const S_OPEN = 2;
const S_HIGH = 3;
const S_LOW = 4;
const S_CLOSE = 5;
const S_VOLUME = 6;
const S_AMOUNT = 7;
const S_SHARES = 8;
const S_INDUSTRY = 9;
const S_FACTOR = 10;

/**
 * Streams a long-format bar CSV (`.gz` through a gunzip stream) into a
 * BarAccumulator. One pass over the bytes: a record is split into field
 * offsets (RFC 4180 quotes honoured, CRLF accepted), numbers and dates are
 * parsed from the bytes, and only instrument and industry cells become
 * strings (dictionary look-ups). A record cut by a chunk boundary is carried
 * into the next chunk, so memory is one chunk plus the accumulated columns.
 * `chunkBytes` only exists so tests can cut records at every byte.
 */
export async function readCsvBars(
  path: string,
  ctx: SourceContext,
  chunkBytes = 1 << 20,
): Promise<SourceOutput> {
  let total: number;
  try {
    total = statSync(path).size;
  } catch (err) {
    throw new InputError(`cannot read bar file ${path}: ${(err as Error).message}`, { cause: err });
  }
  const file = createReadStream(path, { highWaterMark: chunkBytes });
  // A deep readable buffer lets zlib (thread pool) inflate ahead while this thread parses.
  const stream = path.endsWith('.gz') ? file.pipe(createGunzip(gunzipOptions(chunkBytes))) : file;
  if (stream !== file) file.on('error', (err) => stream.destroy(err));

  const parser = new CsvBarParser(path, ctx);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parser.feed(chunk, false);
      ctx.onProgress?.(file.bytesRead, total);
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(`cannot read bar file ${path}: ${(err as Error).message}`, { cause: err });
  }
  parser.feed(Buffer.alloc(0), true);
  return parser.finish();
}

class CsvBarParser {
  private carry: Buffer | null = null;
  private line = 0;
  private rowsRead = 0;
  private acc: BarAccumulator | null = null;
  /** Slot -> field position in the record, -1 when absent. */
  private readonly slotField = new Int32Array(SLOT_NAMES.length).fill(-1);
  private fieldCount = 0;
  private fieldStart = new Int32Array(0);
  private fieldEnd = new Int32Array(0);
  private fieldQuoted = new Uint8Array(0);
  private hasIndustry = false;
  private readonly instrumentBytes = new ByteDictionary();
  private readonly industryBytes = new ByteDictionary();
  private hasFactor = false;
  private hasAmount = false;
  private hasShares = false;
  private readonly bar = new BarRecord();
  // Last parsed date cell, to skip re-parsing the same date row after row.
  private readonly lastDateBytes = Buffer.alloc(16);
  private lastDateLength = -1;
  private lastDay = NaN;

  constructor(
    private readonly path: string,
    private readonly ctx: SourceContext,
  ) {}

  feed(chunk: Buffer, final: boolean): void {
    const buf =
      this.carry === null ? chunk : chunk.length === 0 ? this.carry : Buffer.concat([this.carry, chunk]);
    this.carry = null;
    let pos = 0;
    const len = buf.length;
    while (pos < len) {
      const next = this.record(buf, pos, final);
      if (next < 0) {
        this.carry = Buffer.from(buf.subarray(pos));
        return;
      }
      pos = next;
    }
  }

  finish(): SourceOutput {
    if (this.acc === null) throw new InputError(`bar file ${this.path} is empty; it needs a header line`);
    return {
      panel: this.acc.finish(),
      rowsRead: this.rowsRead,
      hasAmount: this.hasAmount,
      hasSharesOut: this.hasShares,
    };
  }

  /**
   * Splits the record starting at `start` into fields and handles it. Returns
   * the position after its line break, or -1 when the record is incomplete
   * and more bytes are coming.
   */
  private record(buf: Buffer, start: number, final: boolean): number {
    const len = buf.length;
    const maxFields = this.fieldStart.length;
    let p = start;
    let f = 0;
    let breaks = 0; // line breaks inside quoted cells, for line numbers
    let end = -1;
    for (;;) {
      let s: number;
      let e: number;
      let quoted = 0;
      if (p < len && buf[p] === QUOTE) {
        quoted = 1;
        s = ++p;
        for (;;) {
          while (p < len && buf[p] !== QUOTE) {
            if (buf[p] === LF) breaks++;
            p++;
          }
          if (p + 1 < len && buf[p + 1] === QUOTE) p += 2;
          else break;
        }
        if (p >= len) {
          if (!final) return -1;
          e = len;
        } else {
          e = p++;
          while (p < len && buf[p] !== COMMA && buf[p] !== LF) p++;
        }
      } else {
        s = p;
        while (p < len) {
          const c = buf[p];
          if (c === COMMA || c === LF) break;
          p++;
        }
        e = p;
        if (e > s && buf[e - 1] === CR && (p >= len || buf[p] === LF)) e--;
      }
      if (f < maxFields) {
        this.fieldStart[f] = s;
        this.fieldEnd[f] = e;
        this.fieldQuoted[f] = quoted;
      }
      f++;
      if (p >= len) {
        if (!final) return -1;
        end = len;
        break;
      }
      if (buf[p] === COMMA) {
        p++;
        continue;
      }
      end = p + 1; // LF
      break;
    }
    let rawEnd = end === len && (len === 0 || buf[len - 1] !== LF) ? len : end - 1;
    if (rawEnd > start && buf[rawEnd - 1] === CR) rawEnd--;
    this.line += 1 + breaks;
    if (f === 1 && this.fieldEnd[0] === this.fieldStart[0] && this.fieldQuoted[0] === 0 && maxFields > 0)
      return end;
    if (this.acc === null) {
      this.header(buf, start, rawEnd);
      return end;
    }
    if (rawEnd === start) return end; // blank line
    this.rowsRead++;
    this.row(buf, start, rawEnd, f);
    return end;
  }

  private header(buf: Buffer, start: number, end: number): void {
    const names = splitHeader(buf.toString('utf8', start, end));
    for (let j = 0; j < names.length; j++) {
      const slot = SLOT_NAMES.indexOf(names[j] as (typeof SLOT_NAMES)[number]);
      if (slot >= 0 && this.slotField[slot] < 0) this.slotField[slot] = j;
    }
    const missing = REQUIRED_BAR_COLUMNS.filter((_, slot) => this.slotField[slot] < 0);
    if (missing.length > 0) {
      throw new InputError(
        `bar file ${this.path} lacks column(s) ${missing.join(', ')}; its header is "${names.join(',')}". ` +
          `Required: ${REQUIRED_BAR_COLUMNS.join(',')}; optional: ${OPTIONAL_BAR_COLUMNS.join(',')}`,
      );
    }
    this.hasAmount = this.slotField[S_AMOUNT] >= 0;
    this.hasShares = this.slotField[S_SHARES] >= 0;
    this.hasIndustry = this.slotField[S_INDUSTRY] >= 0;
    this.hasFactor = this.slotField[S_FACTOR] >= 0;
    let needed = 0;
    for (const j of this.slotField) needed = Math.max(needed, j + 1);
    this.fieldCount = needed;
    this.fieldStart = new Int32Array(needed);
    this.fieldEnd = new Int32Array(needed);
    this.fieldQuoted = new Uint8Array(needed);
    this.acc = new BarAccumulator({
      hasAmount: this.hasAmount,
      hasSharesOut: this.hasShares,
      admission: this.ctx.admission,
      rejects: this.ctx.rejects,
    });
  }

  private row(buf: Buffer, start: number, end: number, fields: number): void {
    const acc = this.acc as BarAccumulator;
    if (fields < this.fieldCount) return this.reject(buf, start, end, 'missing_fields');
    const sf = this.slotField;
    const fs = this.fieldStart;
    const fe = this.fieldEnd;

    const ds = fs[sf[S_DATE]];
    const de = fe[sf[S_DATE]];
    let day: number;
    if (de - ds === this.lastDateLength && buf.compare(this.lastDateBytes, 0, de - ds, ds, de) === 0)
      day = this.lastDay;
    else {
      day = parseIsoDayBytes(buf, ds, de);
      if (de - ds <= 16) {
        buf.copy(this.lastDateBytes, 0, ds, de);
        this.lastDateLength = de - ds;
        this.lastDay = day;
      }
    }
    const admission = this.ctx.admission;
    const bar = this.bar;
    bar.day = day;
    bar.instrument = this.cellId(buf, S_INST, this.instrumentBytes, (name) => admission.instrumentId(name));
    const open = parseNumberBytes(buf, fs[sf[S_OPEN]], fe[sf[S_OPEN]]);
    const high = parseNumberBytes(buf, fs[sf[S_HIGH]], fe[sf[S_HIGH]]);
    const low = parseNumberBytes(buf, fs[sf[S_LOW]], fe[sf[S_LOW]]);
    const close = parseNumberBytes(buf, fs[sf[S_CLOSE]], fe[sf[S_CLOSE]]);
    const volume = parseNumberBytes(buf, fs[sf[S_VOLUME]], fe[sf[S_VOLUME]]);
    const amount = this.hasAmount ? parseNumberBytes(buf, fs[sf[S_AMOUNT]], fe[sf[S_AMOUNT]]) : NaN;
    const shares = this.hasShares ? parseNumberBytes(buf, fs[sf[S_SHARES]], fe[sf[S_SHARES]]) : NaN;
    const factor = this.hasFactor ? parseNumberBytes(buf, fs[sf[S_FACTOR]], fe[sf[S_FACTOR]]) : 1;
    bar.unparsable =
      open === undefined ||
      high === undefined ||
      low === undefined ||
      close === undefined ||
      volume === undefined ||
      amount === undefined ||
      shares === undefined ||
      factor === undefined;
    bar.open = open ?? NaN;
    bar.high = high ?? NaN;
    bar.low = low ?? NaN;
    bar.close = close ?? NaN;
    bar.volume = volume ?? NaN;
    bar.amount = amount ?? NaN;
    bar.sharesOut = shares ?? NaN;
    bar.factor = factor ?? 1;
    bar.industry = this.hasIndustry
      ? this.cellId(buf, S_INDUSTRY, this.industryBytes, (name) => admission.industryId(name))
      : -1;
    const refused = admission.admit(bar);
    if (refused !== null) return this.reject(buf, start, end, refused);
    if (acc.isRepeat(bar.instrument, bar.day)) return this.reject(buf, start, end, 'duplicate_key');
    acc.append(this.line, bar);
  }

  /**
   * The admission's id of a string cell (negative when refused or empty, as
   * `idOf` says), looked up by its raw bytes first so that a repeated value
   * is never decoded again. Refused values are not cached (a huge cell is
   * not kept).
   */
  private cellId(buf: Buffer, slot: number, cache: ByteDictionary, idOf: (name: string) => number): number {
    const j = this.slotField[slot];
    const s = this.fieldStart[j];
    const e = this.fieldEnd[j];
    const known = cache.get(buf, s, e);
    if (known >= 0) return known;
    const id = idOf(this.cell(buf, slot));
    if (id >= 0) cache.set(buf, s, e, id);
    return id;
  }

  /** Trimmed text of a string cell; quoted cells have their doubled quotes undone. */
  private cell(buf: Buffer, slot: number): string {
    const j = this.slotField[slot];
    const text = buf.toString('utf8', this.fieldStart[j], this.fieldEnd[j]);
    return (this.fieldQuoted[j] === 1 ? text.replace(/""/g, '"') : text).trim();
  }

  private reject(buf: Buffer, start: number, end: number, reason: RejectReason): void {
    this.ctx.rejects.add(this.line, reason, buf.toString('utf8', start, end));
  }
}

/** zlib passes stream options through to its Transform, though its typings do not say so. */
function gunzipOptions(chunkBytes: number): ZlibOptions {
  const chunkSize = Math.max(64, chunkBytes);
  const options: ZlibOptions & TransformOptions = { chunkSize, readableHighWaterMark: 16 * chunkSize };
  return options;
}

/** Header names: unquoted, trimmed, lower-cased, BOM removed. */
function splitHeader(text: string): string[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(',')
    .map((h) =>
      h
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase(),
    );
}
