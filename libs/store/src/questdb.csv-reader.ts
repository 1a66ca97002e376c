/**
 * Streaming parser for QuestDB's `/exp` CSV into growable columns. It never
 * holds more than one network chunk plus one unfinished row of text, and keeps
 * no per-row objects: each row goes straight into typed arrays (day,
 * instrument index, numeric columns) and a dictionary of instrument names.
 *
 * QuestDB's CSV: a header line, `\n` line ends, text fields in double quotes
 * with `""` for a quote, numbers bare, NULL as an empty field.
 */

/** Receives one parsed row; fields are raw text (unquoted), null for an empty field. */
export interface CsvRowSink {
  row(fields: readonly (string | null)[]): void;
}

export class CsvStreamParser {
  private carry = '';
  private header = true;
  private readonly fields: (string | null)[] = [];

  constructor(private readonly sink: CsvRowSink) {}

  /** Feeds decoded text; complete rows are emitted, the unfinished tail is kept. */
  push(text: string): void {
    const buf = this.carry.length === 0 ? text : this.carry + text;
    const consumed = this.parse(buf, false);
    this.carry = buf.slice(consumed);
  }

  /** Flushes the last row if the stream did not end with a newline. */
  end(): void {
    if (this.carry.length > 0) this.parse(this.carry + '\n', true);
    this.carry = '';
  }

  /** Parses whole rows from `buf`; returns how many characters were consumed. */
  private parse(buf: string, final: boolean): number {
    const n = buf.length;
    const fields = this.fields;
    let rowStart = 0;
    let i = 0;
    fields.length = 0;
    while (i < n) {
      let value: string | null;
      const c = buf.charCodeAt(i);
      if (c === 34 /* " */) {
        // Quoted field: find the closing quote, unescaping "" only when present.
        let j = i + 1;
        let hasEscapes = false;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) return rowStart; // incomplete: wait for more text
          if (q + 1 < n && buf.charCodeAt(q + 1) === 34) {
            hasEscapes = true;
            j = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) return rowStart; // cannot tell "" from " yet
          value = hasEscapes ? buf.slice(i + 1, q).replace(/""/g, '"') : buf.slice(i + 1, q);
          i = q + 1;
          break;
        }
      } else {
        let j = i;
        while (j < n) {
          const d = buf.charCodeAt(j);
          if (d === 44 /* , */ || d === 10 /* \n */ || d === 13 /* \r */) break;
          j++;
        }
        if (j >= n) return rowStart;
        value = j === i ? null : buf.slice(i, j);
        i = j;
      }
      fields.push(value);
      // After a field: a comma, or the end of the row.
      if (i >= n) return rowStart;
      const sep = buf.charCodeAt(i);
      if (sep === 44) {
        i++;
        continue;
      }
      if (sep === 13) {
        if (i + 1 >= n) return rowStart;
        i++;
      }
      i++; // \n
      if (this.header) this.header = false;
      else this.sink.row(fields);
      fields.length = 0;
      rowStart = i;
    }
    return rowStart;
  }
}
