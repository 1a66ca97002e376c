import type { RegionConfig } from '@alphafeed/config';
import type { MemberOracle } from '@alphafeed/core';
import { MembershipTable } from '@alphafeed/data';
import type { EngineDictionaries } from './engine-dictionaries';

/**
 * The config's index membership (`data.universe_table`, SPEC §1), or null
 * when every instrument is a member on every date. Read once per service at
 * start; a table that cannot be read stops the start with the reader's error.
 */
export function readMembershipTable(config: RegionConfig): MembershipTable | null {
  const path = config.data.universe_table;
  return path === null ? null : MembershipTable.read(path);
}

/**
 * The membership a streaming engine asks (`FeatureEngine` / `LabelEngine`
 * option `membership`), in the engine's own ids: instrument ids of the
 * service's `EngineDictionaries` (which only grow, so each id's spells are
 * looked up once) and calendar positions of the service's processed
 * calendar, which `calendar()` returns as it is now (the runner's list grows
 * by one date per step; a restatement rebuild keeps the positions). Null
 * without a table: no question is asked.
 */
export function engineMembership(
  table: MembershipTable | null,
  ids: EngineDictionaries,
  calendar: () => readonly number[],
): MemberOracle | null {
  if (table === null) return null;
  return table.oracle(
    (instrument) => ids.instruments[instrument],
    (position) => calendar()[position],
  );
}
