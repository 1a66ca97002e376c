/**
 * Test support: random index membership over a panel's calendar positions
 * (SPEC §1): instruments that are never members, that join late (after a
 * year of history), leave early, leave and come back; and a few "blackout"
 * dates on which nobody is a member (no cross-section, no market mean).
 */
import { Rng } from '@alphafeed/core';
import type { BarPanel, MemberOracle } from '@alphafeed/core';

export interface RandomMembership {
  /** For the engines: ids and calendar positions of the panel. */
  readonly oracle: MemberOracle;
  /** The same answers as a plain predicate, for naive twins. */
  readonly member: (instrument: number, date: number) => boolean;
  /** Inclusive [start, end] calendar positions per instrument id. */
  readonly spells: readonly (readonly [number, number])[][];
}

export function randomMembership(
  panel: BarPanel,
  seed: number,
  blackout: readonly number[] = [],
): RandomMembership {
  const rng = new Rng(seed);
  const dates = panel.calendar.length;
  const spells: [number, number][][] = [];
  for (let i = 0; i < panel.instruments.length; i++) {
    const kind = rng.uniform();
    const list: [number, number][] = [];
    if (kind < 0.1) {
      // never a member
    } else if (kind < 0.55) {
      list.push([0, dates - 1]);
    } else {
      // one to three spells; the first may start well after a year of history
      const count = 1 + rng.int(3);
      let from = rng.int(Math.max(1, dates >> 1));
      for (let k = 0; k < count && from < dates; k++) {
        const to = Math.min(dates - 1, from + 20 + rng.int(Math.max(1, dates >> 2)));
        list.push([from, to]);
        from = to + 2 + rng.int(30);
      }
    }
    spells.push(list);
  }
  const out = new Set(blackout);
  const member = (instrument: number, date: number): boolean => {
    if (out.has(date)) return false;
    const list = spells[instrument];
    if (list === undefined) return false;
    for (const [from, to] of list) if (date >= from && date <= to) return true;
    return false;
  };
  return { oracle: { isMember: member }, member, spells };
}
