import { InputError, parseIsoDay } from '@alphafeed/core';
import type { BarPanel, MemberOracle } from '@alphafeed/core';
import { readTable, requireColumn } from './table.reader';

/** Inclusive member spells of one instrument, day numbers, sorted by start. */
interface Spells {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

/**
 * Index membership (SPEC §1 "universe"): per instrument code, the inclusive
 * day spans during which it is a member. Read from a membership CSV
 * (`instrument,start_date,end_date`, an empty `end_date` open-ended, several
 * rows per instrument for several spells) or from a Qlib market file
 * (`instruments/<market>.txt`, one `CODE<tab>start<tab>end` line per spell).
 * An instrument the table does not name is never a member.
 *
 * Membership selects rows, never history: the sources keep every bar, and
 * the engines ask a `MemberOracle` (from `oracle` / `forPanel`) which
 * instruments form a date's cross-section.
 */
export class MembershipTable {
  private constructor(
    /** Where it came from, for messages. */
    readonly source: string,
    private readonly byCode: ReadonlyMap<string, Spells>,
  ) {}

  static read(path: string): MembershipTable {
    const table = readTable(path);
    const jInst = requireColumn(table, 'instrument');
    const jStart = requireColumn(table, 'start_date');
    const jEnd = requireColumn(table, 'end_date');
    const spells = new Map<string, [number, number][]>();
    table.rows.forEach((row, k) => {
      const where = `membership table ${path} line ${k + 2}`;
      const instrument = row[jInst] ?? '';
      if (instrument === '') throw new InputError(`${where}: empty instrument`);
      const start = parseIsoDay(row[jStart] ?? '');
      const end = (row[jEnd] ?? '') === '' ? Infinity : parseIsoDay(row[jEnd]);
      if (Number.isNaN(start) || Number.isNaN(end))
        throw new InputError(`${where}: start_date and end_date must be YYYY-MM-DD (end_date may be empty)`);
      if (end < start)
        throw new InputError(`${where}: end_date ${row[jEnd]} is before start_date ${row[jStart]}`);
      addSpell(spells, instrument, start, end);
    });
    return MembershipTable.fromSpells(path, spells);
  }

  /** From spells already parsed (day numbers, inclusive, any order, overlaps allowed). */
  static fromSpells(
    source: string,
    spells: ReadonlyMap<string, readonly [number, number][]>,
  ): MembershipTable {
    const byCode = new Map<string, Spells>();
    for (const [code, list] of spells) {
      const sorted = [...list].sort((a, b) => a[0] - b[0]);
      byCode.set(code, {
        starts: Float64Array.from(sorted, (s) => s[0]),
        ends: Float64Array.from(sorted, (s) => s[1]),
      });
    }
    return new MembershipTable(source, byCode);
  }

  /** Instrument codes the table names. */
  get codes(): readonly string[] {
    return [...this.byCode.keys()];
  }

  isMember(code: string, day: number): boolean {
    const spells = this.byCode.get(code);
    return spells !== undefined && inSpells(spells, day);
  }

  /**
   * The engines' view: ids through `codeOf` (a dictionary that may grow, as
   * the stream's does; each id's spells are looked up once and cached) and
   * calendar positions through `dayOf`. O(spells of the instrument) per call,
   * usually one or two.
   */
  oracle(
    codeOf: (instrument: number) => string | undefined,
    dayOf: (dateIndex: number) => number,
  ): MemberOracle {
    const cache: (Spells | null | undefined)[] = [];
    const byCode = this.byCode;
    return {
      isMember(instrument: number, dateIndex: number): boolean {
        let spells = cache[instrument];
        if (spells === undefined) {
          const code = codeOf(instrument);
          if (code === undefined) return false; // not in the dictionary yet: ask again later
          spells = byCode.get(code) ?? null;
          cache[instrument] = spells;
        }
        return spells !== null && inSpells(spells, dayOf(dateIndex));
      },
    };
  }

  /** The oracle for a panel's instrument ids and calendar positions. */
  forPanel(panel: Pick<BarPanel, 'instruments' | 'calendar'>): MemberOracle {
    const days = Int32Array.from(panel.calendar, (d) => parseIsoDay(d));
    const codes = panel.instruments;
    return this.oracle(
      (i) => codes[i],
      (d) => days[d],
    );
  }

  /** Bars of the panel whose instrument is not a member on their date (kept for history, no row). */
  countNonMemberBars(panel: BarPanel): number {
    const oracle = this.forPanel(panel);
    let count = 0;
    for (let r = 0; r < panel.length; r++) if (!oracle.isMember(panel.instrument[r], panel.date[r])) count++;
    return count;
  }
}

function addSpell(spells: Map<string, [number, number][]>, code: string, start: number, end: number): void {
  let list = spells.get(code);
  if (list === undefined) spells.set(code, (list = []));
  list.push([start, end]);
}

function inSpells(spells: Spells, day: number): boolean {
  const { starts, ends } = spells;
  for (let k = 0; k < starts.length; k++) {
    if (day < starts[k]) return false;
    if (day <= ends[k]) return true;
  }
  return false;
}
