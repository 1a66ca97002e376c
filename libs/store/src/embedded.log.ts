import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { KeyedColumns, TableSpec } from './store.port';
import { StoreError } from './errors';

/**
 * The embedded store's file: an append-only log of records, replayed into
 * memory on open. A record is
 *
 *   u32 magic "AFS1" | u32 payload length | u32 CRC-32 of payload | payload
 *   payload = u32 JSON length | JSON header | zero padding to 8 | arrays
 *
 * with a header `{kind:"tables", tables}` or `{kind:"rows", table, region,
 * length, instruments, columns, tags}` followed by the Int32 date and
 * instrument arrays and one Float64 array per listed column (little-endian,
 * as typed arrays sit in memory on x86 and ARM). NaN bit patterns are kept.
 * A torn last record (crash mid-append) is cut off on open; a bad record
 * before the end means the file is corrupt and open fails.
 */
const MAGIC = 0x31534641; // "AFS1"
const RECORD_HEADER = 12;

export type LogRecord =
  | { readonly kind: 'tables'; readonly tables: readonly TableSpec[] }
  | { readonly kind: 'rows'; readonly table: string; readonly rows: KeyedColumns };

interface RowsHeader {
  kind: 'rows';
  table: string;
  region: string;
  length: number;
  instruments: readonly string[];
  columns: string[];
  tags: Record<string, string>;
}

/** The buffers of one record, ready for writev (arrays are views, not copies). */
export function encodeRecord(record: LogRecord): Buffer[] {
  let header: object;
  const arrays: Buffer[] = [];
  if (record.kind === 'tables') {
    header = record;
  } else {
    const { rows } = record;
    const columns = Object.keys(rows.columns);
    const h: RowsHeader = {
      kind: 'rows',
      table: record.table,
      region: rows.region,
      length: rows.length,
      instruments: rows.instruments,
      columns,
      tags: { ...(rows.tags ?? {}) },
    };
    header = h;
    arrays.push(view(rows.date), view(rows.instrument));
    for (const c of columns) arrays.push(view(rows.columns[c]));
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const jsonEnd = 4 + json.length;
  const pad = (8 - (jsonEnd % 8)) % 8;
  const prefix = Buffer.alloc(RECORD_HEADER + 4);
  prefix.writeUInt32LE(json.length, RECORD_HEADER);
  const padding = Buffer.alloc(pad);
  const parts = [prefix, json, padding, ...arrays];
  let length = 0;
  let crc = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = i === 0 ? prefix.subarray(RECORD_HEADER) : parts[i];
    length += part.length;
    crc = crc32(part, crc);
  }
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(length, 4);
  prefix.writeUInt32LE(crc >>> 0, 8);
  return parts;
}

/** Reads every record of a log file; cuts a torn tail off the file (and says so to `warn`). Returns [] for a missing file. */
export function readLog(
  path: string,
  warn: (message: string) => void = (m) => process.stderr.write(`${m}\n`),
): LogRecord[] {
  if (!existsSync(path)) return [];
  const buf = readFileSync(path);
  const records: LogRecord[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const problem = checkRecord(buf, pos);
    if (problem !== undefined) {
      const payloadEnd = buf.length >= pos + 8 ? pos + RECORD_HEADER + buf.readUInt32LE(pos + 4) : Infinity;
      if (payloadEnd >= buf.length) {
        // The last record is incomplete or its bytes were not all written: a crash during append. Drop it.
        truncateSync(path, pos);
        warn(`embedded store: cut a torn record (${problem}) at byte ${pos} of ${path}`);
        break;
      }
      throw new StoreError(
        'STORE_CORRUPT',
        `${path} is corrupt at byte ${pos}: ${problem}; restore it from a backup or delete it and replay`,
      );
    }
    const length = buf.readUInt32LE(pos + 4);
    records.push(decodePayload(buf.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + length)));
    pos += RECORD_HEADER + length;
  }
  return records;
}

/** Writes `records` to a fresh file next to `path` and renames it over `path` (atomic on POSIX). */
export function rewriteLog(path: string, records: Iterable<LogRecord>): void {
  const tmp = `${path}.compact`;
  const fd = openSync(tmp, 'w');
  try {
    for (const record of records) for (const part of encodeRecord(record)) writeAll(fd, part);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Appends one record through an open handle. */
export async function appendRecord(handle: FileHandle, record: LogRecord, sync: boolean): Promise<void> {
  const parts = encodeRecord(record);
  // writev may write less than asked for very large batches; loop until every byte is down.
  let pending = parts;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending);
    pending = dropBytes(pending, bytesWritten);
  }
  if (sync) await handle.datasync();
}

function dropBytes(parts: Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < parts.length && n >= parts[i].length) n -= parts[i++].length;
  if (i === parts.length) return [];
  return [parts[i].subarray(n), ...parts.slice(i + 1)];
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

function checkRecord(buf: Buffer, pos: number): string | undefined {
  if (buf.length - pos < RECORD_HEADER) return 'truncated record header';
  if (buf.readUInt32LE(pos) !== MAGIC) return `bad magic ${buf.readUInt32LE(pos).toString(16)}`;
  const length = buf.readUInt32LE(pos + 4);
  if (pos + RECORD_HEADER + length > buf.length) return `record of ${length} bytes runs past the end`;
  const crc = crc32(buf.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + length)) >>> 0;
  if (crc !== buf.readUInt32LE(pos + 8)) return 'checksum mismatch';
  return undefined;
}

function decodePayload(payload: Buffer): LogRecord {
  const jsonLength = payload.readUInt32LE(0);
  const header = JSON.parse(payload.toString('utf8', 4, 4 + jsonLength)) as
    { kind: 'tables'; tables: TableSpec[] } | RowsHeader;
  if (header.kind === 'tables') return header;
  if (header.kind !== 'rows')
    throw new StoreError(
      'STORE_CORRUPT',
      `unknown record kind ${JSON.stringify((header as { kind: unknown }).kind)}`,
    );
  let pos = 4 + jsonLength;
  pos += (8 - (pos % 8)) % 8;
  const n = header.length;
  // Copies (slice) so the arrays are aligned and do not pin the whole file buffer.
  const int32 = (): Int32Array => {
    const a = new Int32Array(
      payload.buffer.slice(payload.byteOffset + pos, payload.byteOffset + pos + 4 * n),
    );
    pos += 4 * n;
    return a;
  };
  const date = int32();
  const instrument = int32();
  const columns: Record<string, Float64Array> = {};
  for (const c of header.columns) {
    columns[c] = new Float64Array(
      payload.buffer.slice(payload.byteOffset + pos, payload.byteOffset + pos + 8 * n),
    );
    pos += 8 * n;
  }
  return {
    kind: 'rows',
    table: header.table,
    rows: {
      region: header.region,
      length: n,
      date,
      instrument,
      instruments: header.instruments,
      columns,
      tags: header.tags,
    },
  };
}

function view(a: Int32Array | Float64Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}
