import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InputError } from '@alphafeed/core';

/** A small text table held as strings: for side tables (industries, memberships), not for bars. */
export interface TextTable {
  readonly path: string;
  /** Header names, trimmed. */
  readonly header: readonly string[];
  /** Data rows; `rows[k][j]` is column `header[j]` of the row on file line `k + 2` (when no quoted line breaks). */
  readonly rows: readonly (readonly string[])[];
}

/**
 * Reads a whole comma-separated file (`.gz` is gunzipped) with a header line.
 * RFC 4180 quotes are honoured; blank lines are skipped; cells are trimmed.
 * Meant for tables up to a few MB (the whole text is held in memory), which
 * is why the bar sources use their own streaming parser instead.
 */
export function readTable(path: string): TextTable {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
    if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
  } catch (err) {
    throw new InputError(`cannot read table ${path}: ${(err as Error).message}`, { cause: err });
  }
  const records = parseCsvText(bytes.toString('utf8'));
  if (records.length === 0) throw new InputError(`table ${path} is empty; it needs a header line`);
  const header = records[0].map((h) => h.trim().replace(/^\uFEFF/, ''));
  const rows = records.slice(1).filter((r) => !(r.length === 1 && r[0].trim() === ''));
  return { path, header, rows: rows.map((r) => r.map((c) => c.trim())) };
}

/** Column position of `name` in the table, or an InputError listing the columns it has. */
export function requireColumn(table: TextTable, name: string): number {
  const j = table.header.indexOf(name);
  if (j < 0) {
    throw new InputError(`table ${table.path} has no column "${name}" (columns: ${table.header.join(', ')})`);
  }
  return j;
}

function parseCsvText(text: string): string[][] {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else inQuotes = false;
      } else cell += ch;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      records.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    records.push(row);
  }
  return records;
}
