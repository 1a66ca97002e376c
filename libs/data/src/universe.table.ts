import { InputError, parseIsoDay } from '@alphafeed/core';
import type { BarPanel } from '@alphafeed/core';
import { findSpan } from './industry.table';
import type { IndustrySpans } from './industry.table';
import { readTable, requireColumn } from './table.reader';

/**
 * The membership table of SPEC "universe": `instrument,start_date,end_date`,
 * inclusive dates, an empty `end_date` open-ended, several rows per
 * instrument for several spells. With a table, the universe on a date is the
 * members on that date that have a bar on it; an instrument the table does
 * not name is never a member.
 */
export class UniverseTable {
  private constructor(
    readonly path: string,
    private readonly byInstrument: ReadonlyMap<string, IndustrySpans>,
  ) {}

  static read(path: string): UniverseTable {
    const table = readTable(path);
    const jInst = requireColumn(table, 'instrument');
    const jStart = requireColumn(table, 'start_date');
    const jEnd = requireColumn(table, 'end_date');
    const spells = new Map<string, { start: number; end: number }[]>();
    table.rows.forEach((row, k) => {
      const where = `universe table ${path} line ${k + 2}`;
      const instrument = row[jInst] ?? '';
      if (instrument === '') throw new InputError(`${where}: empty instrument`);
      const start = parseIsoDay(row[jStart] ?? '');
      const end = (row[jEnd] ?? '') === '' ? Infinity : parseIsoDay(row[jEnd]);
      if (Number.isNaN(start) || Number.isNaN(end))
        throw new InputError(`${where}: start_date and end_date must be YYYY-MM-DD (end_date may be empty)`);
      if (end < start)
        throw new InputError(`${where}: end_date ${row[jEnd]} is before start_date ${row[jStart]}`);
      let list = spells.get(instrument);
      if (list === undefined) spells.set(instrument, (list = []));
      list.push({ start, end });
    });
    const byInstrument = new Map<string, IndustrySpans>();
    for (const [instrument, list] of spells) {
      list.sort((a, b) => a.start - b.start);
      byInstrument.set(instrument, {
        starts: Float64Array.from(list, (s) => s.start),
        ends: Float64Array.from(list, (s) => s.end),
        industries: [],
      });
    }
    return new UniverseTable(path, byInstrument);
  }

  isMember(instrument: string, day: number): boolean {
    const spans = this.byInstrument.get(instrument);
    return spans !== undefined && findSpan(spans, day) >= 0;
  }

  /**
   * The panel without the bars of non-members (the calendar, the union of the
   * input's dates, is kept). Returns the same panel when every bar is a member.
   */
  filter(panel: BarPanel): { panel: BarPanel; dropped: number } {
    const days = panel.calendar.map(parseIsoDay);
    const keep = new Uint8Array(panel.length);
    let kept = 0;
    for (let r = 0; r < panel.length; r++) {
      if (this.isMember(panel.instruments[panel.instrument[r]], days[panel.date[r]])) {
        keep[r] = 1;
        kept++;
      }
    }
    if (kept === panel.length) return { panel, dropped: 0 };
    const pick = <A extends Float64Array | Int32Array>(a: A): A => {
      const out = new (a.constructor as new (n: number) => A)(kept);
      for (let r = 0, k = 0; r < panel.length; r++) if (keep[r] === 1) out[k++] = a[r];
      return out;
    };
    return {
      panel: {
        ...panel,
        length: kept,
        date: pick(panel.date),
        instrument: pick(panel.instrument),
        industry: pick(panel.industry),
        open: pick(panel.open),
        high: pick(panel.high),
        low: pick(panel.low),
        close: pick(panel.close),
        volume: pick(panel.volume),
        amount: panel.amount === null ? null : pick(panel.amount),
        sharesOut: panel.sharesOut === null ? null : pick(panel.sharesOut),
      },
      dropped: panel.length - kept,
    };
  }
}
