import { CsvStreamParser } from './questdb.csv-reader';

/** Naive twin: whole text at once, character by character (RFC 4180 subset QuestDB emits). */
function naiveParse(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      quoted = true;
      wasQuoted = true;
    } else if (c === ',' || c === '\n') {
      row.push(field === '' && !wasQuoted ? null : field);
      field = '';
      wasQuoted = false;
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    } else if (c !== '\r') field += c;
  }
  return rows.slice(1); // header
}

function collect(chunks: string[]): (string | null)[][] {
  const rows: (string | null)[][] = [];
  const parser = new CsvStreamParser({ row: (f) => rows.push([...f]) });
  for (const c of chunks) parser.push(c);
  parser.end();
  return rows;
}

const TEXT =
  '"day","instrument","model_version","x","n"\n' +
  '19724,"A,""B","v1",,\n' +
  '19724,"AA","",3.0,-7\n' +
  '19725,"C","v""2""",1.5E-300,42\n' +
  '19725,"""","v 1",-0.0,\n';

describe('CsvStreamParser', () => {
  test('parses QuestDB CSV: quotes, doubled quotes, commas in text, empty fields as null', () => {
    expect(collect([TEXT])).toEqual([
      ['19724', 'A,"B', 'v1', null, null],
      ['19724', 'AA', '', '3.0', '-7'],
      ['19725', 'C', 'v"2"', '1.5E-300', '42'],
      ['19725', '"', 'v 1', '-0.0', null],
    ]);
    expect(collect([TEXT])).toEqual(naiveParse(TEXT));
  });

  test('gives the same rows for every split of the stream into two or three chunks', () => {
    const whole = naiveParse(TEXT);
    for (let i = 0; i <= TEXT.length; i++) {
      expect(collect([TEXT.slice(0, i), TEXT.slice(i)])).toEqual(whole);
      for (let j = i; j <= TEXT.length; j += 7) {
        expect(collect([TEXT.slice(0, i), TEXT.slice(i, j), TEXT.slice(j)])).toEqual(whole);
      }
    }
  });

  test('one character at a time, CRLF line ends, and a last row without a newline', () => {
    const crlf = TEXT.replace(/\n/g, '\r\n').replace(/\r\n$/, '');
    expect(collect([...crlf])).toEqual(naiveParse(TEXT));
  });

  test('header only or empty input gives no rows', () => {
    expect(collect(['"a","b"\n'])).toEqual([]);
    expect(collect([''])).toEqual([]);
  });
});
