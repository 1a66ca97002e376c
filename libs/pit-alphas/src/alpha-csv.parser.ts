/**
 * A lean reader for a CSV alpha table (`date, instrument, alpha[, ...]`,
 * `.gz` gunzipped): the named columns only, strings dictionary-coded as they
 * are met, numbers parsed once, so memory is a few typed arrays however
 * long the file (the text is decoded in slices that end at a line break:
 * one JS string of a 500 MB file would exceed V8's string limit). RFC 4180
 * quotes are honoured within a line; a quoted line break is not supported
 * (alpha tables have none). O(bytes).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface CsvColumns {
  readonly header: readonly string[];
  readonly length: number;
  /** Per requested text column: codes into its dictionary. */
  readonly text: Readonly<Record<string, { codes: Int32Array; dictionary: string[] }>>;
  /** Per requested number column: values, NaN for an empty or unparsable cell. */
  readonly numbers: Readonly<Record<string, Float64Array>>;
  /** File line of each data row (1-based, the header is line 1). */
  readonly line: Int32Array;
}

export class CsvShapeError extends Error {}

const SLICE = 16 << 20;

/** The columns to read, chosen from the header (may throw to refuse it). */
export type ColumnChoice = (header: readonly string[]) => {
  readonly text: readonly string[];
  readonly numbers: readonly string[];
};

/**
 * Reads `path`, the columns `choose` picks from its header (an empty file
 * has the header []). A row with a different number of cells than the
 * header is a `CsvShapeError`.
 */
export function readCsvColumns(path: string, choose: ColumnChoice): CsvColumns {
  let bytes = readFileSync(path);
  if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
  let header: string[] | null = null;
  let textColumns: readonly string[] = [];
  let numberColumns: readonly string[] = [];
  let textAt: number[] = [];
  let numberAt: number[] = [];
  let dicts: Map<string, number>[] = [];
  let cap = 1 << 16;
  let n = 0;
  let codes: Int32Array[] = [];
  let values: Float64Array[] = [];
  let lines = new Int32Array(cap);
  let lineNo = 0;

  for (let start = 0; start < bytes.length;) {
    let end = Math.min(bytes.length, start + SLICE);
    if (end < bytes.length) {
      const nl = bytes.indexOf(10, end);
      end = nl < 0 ? bytes.length : nl + 1;
    }
    const parts = bytes.toString('utf8', start, end).split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    start = end;
    for (const raw of parts) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      lineNo++;
      if (line.trim() === '') continue;
      const cells = splitCells(line);
      if (header === null) {
        const names = cells.map((c, j) => (j === 0 ? c.replace(/^\uFEFF/, '') : c));
        header = names;
        ({ text: textColumns, numbers: numberColumns } = choose(names));
        textAt = textColumns.map((c) => names.indexOf(c));
        numberAt = numberColumns.map((c) => names.indexOf(c));
        dicts = textColumns.map(() => new Map<string, number>());
        codes = textColumns.map(() => new Int32Array(cap));
        values = numberColumns.map(() => new Float64Array(cap));
        continue;
      }
      if (cells.length !== header.length) {
        throw new CsvShapeError(`line ${lineNo} has ${cells.length} cells, the header ${header.length}`);
      }
      if (n === cap) {
        cap *= 2;
        codes = codes.map((c) => grow(c, cap));
        values = values.map((v) => grow(v, cap));
        lines = grow(lines, cap);
      }
      for (let t = 0; t < textAt.length; t++) {
        const s = cells[textAt[t]];
        let code = dicts[t].get(s);
        if (code === undefined) {
          code = dicts[t].size;
          dicts[t].set(s, code);
        }
        codes[t][n] = code;
      }
      for (let v = 0; v < numberAt.length; v++) {
        const s = cells[numberAt[v]];
        values[v][n] = s === '' ? NaN : Number(s);
      }
      lines[n] = lineNo;
      n++;
    }
  }
  if (header === null) ({ text: textColumns, numbers: numberColumns } = choose([]));
  return {
    header: header ?? [],
    length: n,
    text: Object.fromEntries(
      textColumns.map((c, t) => [
        c,
        { codes: codes[t]?.slice(0, n) ?? new Int32Array(0), dictionary: [...(dicts[t]?.keys() ?? [])] },
      ]),
    ),
    numbers: Object.fromEntries(
      numberColumns.map((c, v) => [c, values[v]?.slice(0, n) ?? new Float64Array(0)]),
    ),
    line: lines.slice(0, n),
  };
}

function splitCells(line: string): string[] {
  if (!line.includes('"')) return line.split(',').map((c) => c.trim());
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cell.trim());
      cell = '';
    } else cell += ch;
  }
  cells.push(cell.trim());
  return cells;
}

function grow<T extends Int32Array | Float64Array>(a: T, cap: number): T {
  const out = new (a.constructor as new (n: number) => T)(cap);
  out.set(a);
  return out;
}
